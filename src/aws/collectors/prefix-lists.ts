import { paginateGetManagedPrefixListEntries } from "@aws-sdk/client-ec2";
import type { PrefixList, SecurityGroup } from "../../diagnosis/snapshot.js";
import { attempt, type CollectContext, sharedCopy } from "../context.js";

// The managed prefix lists that the collected security group rules name, expanded to their entries. An id does
// not tell a customer-managed list from an AWS-managed one, so every referenced list is read (bounded), with one
// GetManagedPrefixListEntries each, in parallel. Names are not read: DescribeManagedPrefixLists would add a call
// and a permission for a label, and the address family shows in the entries.

/** At most this many referenced lists are read. */
const LIST_CAP = 20;
const PAGE_SIZE = 100;
/** Pages of entries per list (a list holds at most 1,000 entries). */
const ENTRY_PAGE_CAP = 10;

/** The prefix list ids named by any rule of `groups`, ingress or egress, in order of appearance. */
export function referencedPrefixLists(groups: readonly SecurityGroup[]): string[] {
  const ids = groups.flatMap((g) => [...g.ingress, ...g.egress]).map((rule) => rule.prefixListId);
  return [...new Set(ids.filter((id): id is string => !!id))];
}

/**
 * The referenced prefix lists with their entries; no call when no rule names one. A list whose entries cannot
 * be read is left out with a `prefixLists` gap; undefined when none could be read.
 */
export async function collectPrefixLists(
  ctx: CollectContext,
  groups: readonly SecurityGroup[],
): Promise<PrefixList[] | undefined> {
  const ids = referencedPrefixLists(groups).slice(0, LIST_CAP);
  if (ids.length === 0) return [];
  const entries = await Promise.all(
    ids.map((id) =>
      attempt(ctx, "prefixLists", "ec2:GetManagedPrefixListEntries", () =>
        sharedCopy(ctx, `ec2:GetManagedPrefixListEntries:${id}`, () => readEntries(ctx, id)),
      ),
    ),
  );
  const lists = ids.flatMap((id, i): PrefixList[] => {
    const listEntries = entries[i];
    if (!listEntries) return [];
    const addressFamily = familyOf(listEntries);
    return [{ id, ...(addressFamily ? { addressFamily } : {}), entries: listEntries }];
  });
  return lists.length > 0 ? lists : undefined;
}

async function readEntries(ctx: CollectContext, id: string): Promise<PrefixList["entries"]> {
  const entries: PrefixList["entries"] = [];
  const pager = paginateGetManagedPrefixListEntries(
    { client: ctx.clients.ec2, pageSize: PAGE_SIZE },
    { PrefixListId: id },
  );
  let pages = 0;
  for await (const page of pager) {
    for (const entry of page.Entries ?? []) {
      if (!entry.Cidr) continue;
      entries.push({ cidr: entry.Cidr, ...(entry.Description ? { description: entry.Description } : {}) });
    }
    pages += 1;
    if (pages >= ENTRY_PAGE_CAP) break;
  }
  return entries;
}

// A list holds one address family (AWS's "IPv4" or "IPv6"); an empty list shows none.
function familyOf(entries: PrefixList["entries"]): string | undefined {
  if (entries.length === 0) return undefined;
  return entries.every((e) => e.cidr.includes(":")) ? "IPv6" : "IPv4";
}
