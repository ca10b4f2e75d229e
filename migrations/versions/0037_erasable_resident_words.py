"""A resident's own words in a report's trail can be erased on their request, nothing else changes

``report_event`` stays append-only (migration 0005), with one exception the Law on Personal Data
Protection needs: a deletion request (``reports.privacy.requests``) may set the ``message`` of an event
whose actor is the resident to NULL, and change nothing else of it.

Revision ID: 0037_erasable_resident_words
Revises: 0036_photo_tools
Create Date: 2026-12-08
"""
from alembic import op

revision = '0037_erasable_resident_words'
down_revision = '0036_photo_tools'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("""
        CREATE OR REPLACE FUNCTION report_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' AND OLD.actor = 'resident' AND NEW.message IS NULL
               AND (NEW.id, NEW.report_id, NEW.kind, NEW.actor, NEW.actor_role, NEW.channel, NEW.public, NEW.created_at)
                   IS NOT DISTINCT FROM
                   (OLD.id, OLD.report_id, OLD.kind, OLD.actor, OLD.actor_role, OLD.channel, OLD.public, OLD.created_at)
               AND NEW.data IS NOT DISTINCT FROM OLD.data THEN
                RETURN NEW;  -- a resident's words erased on their request
            END IF;
            RAISE EXCEPTION 'report_event is append-only: % refused', TG_OP;
        END $$""")


def downgrade():
    op.execute("""
        CREATE OR REPLACE FUNCTION report_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'report_event is append-only: % refused', TG_OP;
        END $$""")
