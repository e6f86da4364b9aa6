import { parseEndpointId } from "./request.js";
import { type Snapshot, snapshotSchema } from "./snapshot.js";

/** A snapshot file that cannot be diagnosed: not JSON, or JSON that is not a vpce-doctor snapshot. */
export class SnapshotFileError extends Error {
  override name = "SnapshotFileError";
}

const HINT = "give a file saved with --save-snapshot";
// The same forms a live request (and the config) accepts; a region without a catalog is checked by its shape.
const ACCOUNT_ID = /^\d{12}$/;
const ALIAS = /^[a-z0-9][a-z0-9_-]{0,62}$/i;
const REGION_SHAPE = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

/**
 * Parses and validates snapshot JSON text, naming the first field at fault; the endpoint id, region, account id
 * and alias must have the forms a live request accepts (snapshots travel as ticket attachments).
 */
export function parseSnapshot(
  text: string,
  fileName: string,
  isKnownRegion: (code: string) => boolean = (code) => REGION_SHAPE.test(code),
): Snapshot {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SnapshotFileError(`${fileName} is not JSON (${(error as Error).message}); ${HINT}`);
  }
  const parsed = snapshotSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new SnapshotFileError(
      `${fileName} is not a vpce-doctor snapshot: ${issue.path.join(".") || "(top level)"}: ${issue.message}; ${HINT}`,
    );
  }
  const problem = identityProblem(parsed.data, isKnownRegion);
  if (problem) throw new SnapshotFileError(`${fileName} is not a vpce-doctor snapshot: ${problem}; ${HINT}`);
  return parsed.data;
}

function identityProblem(snapshot: Snapshot, isKnownRegion: (code: string) => boolean): string | undefined {
  const { endpointId, region, accountId, accountAlias } = snapshot;
  if (!isEndpointId(endpointId))
    return `endpointId ${quote(endpointId)} is not a VPC endpoint id (vpce- and 8 or 17 hex digits)`;
  if (!isKnownRegion(region)) return `region ${quote(region)} is not a known AWS region`;
  if (accountId !== undefined && !ACCOUNT_ID.test(accountId))
    return `accountId ${quote(accountId)} is not a 12-digit account id`;
  if (accountAlias !== undefined && !ALIAS.test(accountAlias))
    return `accountAlias ${quote(accountAlias)} is not an alias (letters, digits, - and _)`;
  return undefined;
}

function isEndpointId(value: string): boolean {
  try {
    return parseEndpointId(value) === value;
  } catch {
    return false;
  }
}

/** A value for a one-line message: JSON (so control characters show as escapes), cut to 60 characters. */
function quote(value: string): string {
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
