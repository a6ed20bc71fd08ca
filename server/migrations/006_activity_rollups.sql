-- Activity minutes summed per 5-minute UTC bucket, so a timeline reads about 100 rows a day
-- instead of 480+ minutes with their app lists. Five minutes, not ten: every zone offset in use
-- is a multiple of 15 minutes, so a 5-minute UTC bucket lies inside one 10-minute slot of the
-- viewer's wall clock (+05:45 and +05:30 alike); a zone where it would not is read from the raw
-- minutes (server/services/timeline.service.ts).
--
-- A bucket is a pure function of the raw rows: stint_refresh_activity_rollups recomputes the
-- buckets a write touched, in the writing transaction, so a bucket is never out of step with
-- its minutes (replays, moved minutes, idle spans discarded later, erasure). The project is not
-- stored: `entries` keeps tracked seconds per entry id and the read joins the entry, so an
-- entry whose project changes, or that arrives after its minutes, needs no recompute.
CREATE TABLE activity_rollups (
  org_id uuid NOT NULL REFERENCES orgs(id),
  user_id uuid NOT NULL REFERENCES users(id),
  bucket_start timestamptz NOT NULL,
  tracked_seconds integer NOT NULL,
  active_seconds integer NOT NULL,
  -- {"app name": seconds}, summed over the bucket's minutes outside discarded idle spans
  apps jsonb NOT NULL,
  -- {"entry id": tracked seconds} of the minutes that name an entry
  entries jsonb NOT NULL,
  PRIMARY KEY (org_id, user_id, bucket_start)
);
ALTER TABLE activity_rollups ENABLE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON activity_rollups USING (org_id = stint_org()) WITH CHECK (org_id = stint_org());
GRANT SELECT, INSERT, UPDATE, DELETE ON activity_rollups TO stint_app;

-- Recomputes one user's buckets in the given ranges (los[i] <= bucket_start < his[i]; bounds on
-- 5-minute UTC boundaries, ranges not overlapping) from the raw minutes. The one definition of a
-- bucket: the ingest path (through stint_refresh_activity_rollups) and the backfill below use it.
CREATE FUNCTION stint_compute_activity_rollups(p_org uuid, p_user uuid, los timestamptz[], his timestamptz[]) RETURNS void
LANGUAGE sql VOLATILE AS $$
  DELETE FROM activity_rollups r USING unnest(los, his) g(lo, hi)
   WHERE r.org_id = p_org AND r.user_id = p_user AND r.bucket_start >= g.lo AND r.bucket_start < g.hi;
  WITH m AS (
    SELECT date_bin('5 minutes', m.minute_start, timestamptz '2000-01-01 00:00:00+00') AS bucket_start,
           m.tracked_seconds, m.active_seconds, m.apps, m.entry_id
      FROM unnest(los, his) g(lo, hi)
      JOIN activity_minutes m ON m.org_id = p_org AND m.user_id = p_user AND m.minute_start >= g.lo AND m.minute_start < g.hi
     WHERE NOT EXISTS (SELECT 1 FROM idle_spans s WHERE s.org_id = m.org_id AND s.user_id = m.user_id AND s.decision = 'discard'
                         AND m.minute_start >= s.started_at AND m.minute_start < s.ended_at)),
  totals AS (SELECT bucket_start, sum(tracked_seconds)::int AS tracked, sum(active_seconds)::int AS active FROM m GROUP BY bucket_start),
  apps AS (SELECT bucket_start, jsonb_object_agg(app, seconds) AS apps
             FROM (SELECT bucket_start, a->>'app' AS app, sum((a->>'seconds')::int)::int AS seconds
                     FROM m, jsonb_array_elements(m.apps) a GROUP BY bucket_start, a->>'app') x
            GROUP BY bucket_start),
  entries AS (SELECT bucket_start, jsonb_object_agg(entry_id, tracked) AS entries
                FROM (SELECT bucket_start, entry_id, sum(tracked_seconds)::int AS tracked FROM m WHERE entry_id IS NOT NULL GROUP BY bucket_start, entry_id) x
               GROUP BY bucket_start)
  INSERT INTO activity_rollups (org_id, user_id, bucket_start, tracked_seconds, active_seconds, apps, entries)
  SELECT p_org, p_user, t.bucket_start, t.tracked, t.active, coalesce(a.apps, '{}'::jsonb), coalesce(e.entries, '{}'::jsonb)
    FROM totals t
    LEFT JOIN apps a ON a.bucket_start = t.bucket_start
    LEFT JOIN entries e ON e.bucket_start = t.bucket_start;
$$;

-- What a writer calls. The advisory lock serialises refreshes of one user: the statements after
-- it take a fresh snapshot (VOLATILE), so a second writer waits for the first to commit and then
-- counts the first one's minutes too.
CREATE FUNCTION stint_refresh_activity_rollups(p_org uuid, p_user uuid, los timestamptz[], his timestamptz[]) RETURNS void
LANGUAGE sql VOLATILE AS $$
  SELECT pg_advisory_xact_lock(hashtext('stint.activity_rollups'), hashtext(p_user::text));
  SELECT stint_compute_activity_rollups(p_org, p_user, los, his);
$$;
GRANT EXECUTE ON FUNCTION stint_compute_activity_rollups(uuid, uuid, timestamptz[], timestamptz[]) TO stint_app;
GRANT EXECUTE ON FUNCTION stint_refresh_activity_rollups(uuid, uuid, timestamptz[], timestamptz[]) TO stint_app;

-- Writes the ingest path does not batch refresh themselves, row by row (both are rare):
-- a replayed minute that moved to another start leaves its old bucket (OLD is only known here,
-- even when a concurrent transaction inserted the row), and an idle span's discard decision
-- changes which minutes count. Minute inserts and in-place updates are refreshed in one call at
-- the end of each push (server/services/sync.service.ts).
CREATE FUNCTION stint_activity_minute_moved() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  b timestamptz := date_bin('5 minutes', OLD.minute_start, timestamptz '2000-01-01 00:00:00+00');
BEGIN
  PERFORM stint_refresh_activity_rollups(OLD.org_id, OLD.user_id, ARRAY[b], ARRAY[b + interval '5 minutes']);
  RETURN NULL;
END $$;
CREATE TRIGGER activity_minutes_moved AFTER UPDATE OF minute_start ON activity_minutes
  FOR EACH ROW WHEN (OLD.minute_start IS DISTINCT FROM NEW.minute_start) EXECUTE FUNCTION stint_activity_minute_moved();

CREATE FUNCTION stint_idle_span_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  origin constant timestamptz := timestamptz '2000-01-01 00:00:00+00';
  los timestamptz[] := '{}';
  his timestamptz[] := '{}';
  lo timestamptz;
  hi timestamptz;
BEGIN
  -- The discarded ranges before and after, widened to whole buckets, merged when they overlap.
  IF TG_OP <> 'INSERT' AND OLD.decision = 'discard' AND OLD.ended_at > OLD.started_at THEN
    los := ARRAY[date_bin('5 minutes', OLD.started_at, origin)];
    his := ARRAY[date_bin('5 minutes', OLD.ended_at - interval '1 microsecond', origin) + interval '5 minutes'];
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.decision = 'discard' AND NEW.ended_at > NEW.started_at THEN
    lo := date_bin('5 minutes', NEW.started_at, origin);
    hi := date_bin('5 minutes', NEW.ended_at - interval '1 microsecond', origin) + interval '5 minutes';
    IF cardinality(los) = 1 AND lo <= his[1] AND hi >= los[1] THEN
      los := ARRAY[least(lo, los[1])];
      his := ARRAY[greatest(hi, his[1])];
    ELSIF cardinality(los) = 1 AND lo > los[1] THEN
      los := los || lo;
      his := his || hi;
    ELSE
      los := lo || los;
      his := hi || his;
    END IF;
  END IF;
  IF cardinality(los) > 0 THEN
    PERFORM stint_refresh_activity_rollups(coalesce(NEW.org_id, OLD.org_id), coalesce(NEW.user_id, OLD.user_id), los, his);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER idle_spans_changed AFTER INSERT OR UPDATE OR DELETE ON idle_spans
  FOR EACH ROW EXECUTE FUNCTION stint_idle_span_changed();

-- The history there already is: every user's whole span of minutes. No API process may write
-- minutes while this runs (this migration is applied before the new version serves); the
-- per-user lock is not taken here, so thousands of users do not fill the lock table.
SELECT stint_compute_activity_rollups(org_id, user_id,
         ARRAY[date_bin('5 minutes', min(minute_start), timestamptz '2000-01-01 00:00:00+00')],
         ARRAY[date_bin('5 minutes', max(minute_start), timestamptz '2000-01-01 00:00:00+00') + interval '5 minutes'])
  FROM activity_minutes GROUP BY org_id, user_id;
