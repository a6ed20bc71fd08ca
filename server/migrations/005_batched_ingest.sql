-- Batched ingest completes without a synchronous HEAD: 'received' is a device's word that its PUT
-- landed, awaiting the worker's check; 'missing' is a received row whose object never arrived.
-- Neither is shown as complete anywhere.
ALTER TABLE screenshots DROP CONSTRAINT IF EXISTS screenshots_state_check;
ALTER TABLE screenshots ADD CONSTRAINT screenshots_state_check
  CHECK (state IN ('pending', 'received', 'missing', 'stored', 'verified', 'corrupt'));
