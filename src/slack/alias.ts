import { accountSchema } from "../config/schema.js";
import { RequestError } from "../diagnosis/request.js";

const aliasSchema = accountSchema.innerType().shape.alias;

/** Validates an account alias with the config file's own rule (letters, digits, - and _, at most 63). */
export function parseAlias(raw: string): string {
  const alias = raw.trim();
  if (aliasSchema.safeParse(alias).success) return alias;
  throw new RequestError(
    `"${raw}" is not an account alias: aliases are letters, digits, - and _ (see /vpce accounts)`,
  );
}
