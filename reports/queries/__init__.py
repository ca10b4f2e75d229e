"""Read models over reports: one filter type, the queue, figures, exports, public views, Open311."""
