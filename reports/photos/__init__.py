"""Photos: decoding and cleaning (Pillow), content-addressed storage, visibility of stored files."""
