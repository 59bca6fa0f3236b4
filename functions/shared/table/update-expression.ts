/**
 * Builds a DynamoDB UpdateExpression from plain values: `undefined` leaves a top-level attribute
 * alone, `null` removes it, anything else sets it. Placeholders are generated, so attribute names
 * never need escaping by callers.
 */
export interface UpdateParts {
  UpdateExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues: Record<string, unknown>;
}

export const buildUpdate = (
  changes: Record<string, unknown>,
  extra: { set?: string[]; names?: Record<string, string>; values?: Record<string, unknown> } = {},
): UpdateParts => {
  const names: Record<string, string> = { ...extra.names };
  const values: Record<string, unknown> = { ...extra.values };
  const sets = [...(extra.set ?? [])];
  const removes: string[] = [];
  Object.entries(changes).forEach(([attribute, value], index) => {
    if (value === undefined) return;
    names[`#a${index}`] = attribute;
    if (value === null) {
      removes.push(`#a${index}`);
    } else {
      values[`:a${index}`] = value;
      sets.push(`#a${index} = :a${index}`);
    }
  });
  const expression = [sets.length ? `SET ${sets.join(', ')}` : '', removes.length ? `REMOVE ${removes.join(', ')}` : '']
    .filter(Boolean)
    .join(' ');
  return { UpdateExpression: expression, ExpressionAttributeNames: names, ExpressionAttributeValues: values };
};
