"""Telling people what happened: the job queue that carries the work out of the request (an outbox
table on the database we already run), subscriptions to a report's updates, and which events
notify whom. Sending (email rendering, SMTP) is the web edge's (``delivery.mail``)."""
