import { parseBuffer } from 'bplist-parser';
import plist from 'plist';

/**
 * A policy file's bytes as the value they hold: JSON for policy.json, a property list (binary, as
 * macOS writes /Library/Managed Preferences, or XML, as IT writes one by hand) for a .plist. The
 * value is then checked field by field like any other policy (src/shared/managed-policy.ts).
 */
export function decodePolicyDocument(path: string, bytes: Buffer): { value: unknown } | { problem: string } {
  if (/\.plist$/i.test(path)) return decodePropertyList(bytes);
  // Windows PowerShell 5.1's `Out-File -Encoding utf8` and Notepad write a byte-order mark.
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  try {
    return { value: JSON.parse(text) };
  } catch (err) {
    return { problem: `is not valid JSON: ${(err as Error).message}` };
  }
}

function decodePropertyList(bytes: Buffer): { value: unknown } | { problem: string } {
  try {
    const value = bytes.subarray(0, 8).toString('latin1') === 'bplist00' ? parseBuffer(bytes)[0] : plist.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return { problem: 'is a property list whose top level is not a dictionary' };
    return { value };
  } catch (err) {
    return { problem: `is not a valid property list: ${(err as Error).message}` };
  }
}
