"""How a message leaves: email (``mail``), Web Push (``push``), SMS and Zalo (``channels``), through HTTP that
checks where it connects (``outbound``); the email job's recipients and links (``jobs``); values sealed
for the queue (``sealed``); staff accounts' signed links (``account_links``)."""
