import type { webApi } from "@slack/bolt";

type WebClient = webApi.WebClient;

/** Resolves which of some user groups a user belongs to, with a short cache and a time limit. */
export class UserGroups {
  private readonly cache = new Map<string, { members: Set<string>; until: number }>();

  constructor(private readonly options: { ttlMs?: number; timeoutMs?: number; clock?: () => number } = {}) {}

  /** The subset of `groupIds` that contain `userId`; throws when Slack does not answer within the time limit. */
  async groupsOf(client: WebClient, userId: string, groupIds: readonly string[]): Promise<Set<string>> {
    const lookups = groupIds.map(async (group) =>
      (await this.members(client, group)).has(userId) ? group : undefined,
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error("user-group lookup timed out")),
        this.options.timeoutMs ?? 1_500,
      );
    });
    try {
      const groups = await Promise.race([Promise.all(lookups), timeout]);
      return new Set(groups.filter((g): g is string => g !== undefined));
    } finally {
      clearTimeout(timer);
    }
  }

  private async members(client: WebClient, group: string): Promise<Set<string>> {
    const now = (this.options.clock ?? Date.now)();
    const cached = this.cache.get(group);
    if (cached && cached.until > now) return cached.members;
    const out = await client.usergroups.users.list({ usergroup: group });
    const members = new Set(out.users ?? []);
    this.cache.set(group, { members, until: now + (this.options.ttlMs ?? 5 * 60_000) });
    return members;
  }
}
