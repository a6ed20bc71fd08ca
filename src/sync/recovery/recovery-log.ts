import type { RecoveryReport } from './recover';

/** The log lines a start-up recovery is worth (none when nothing was left to repair). */
export function logRecovery(r: RecoveryReport, log: (line: string) => void): void {
  if (r.corruptMovedTo) log(`recovered: corrupt outbox moved to ${r.corruptMovedTo}, rebuilt from files`);
  if (r.orphansAdopted || r.tempFilesRemoved || r.leasesReleased || r.missingFiles || r.unreadableFiles)
    log(`recovered: ${r.orphansAdopted} orphan files adopted, ${r.tempFilesRemoved} temp files removed, ${r.leasesReleased} leases released, ${r.missingFiles} missing files, ${r.unreadableFiles} unreadable files kept aside`);
}
