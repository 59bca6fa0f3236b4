/** An item without its table keys and type discriminator: the record a repository hands out. */
export const withoutKeys = <T>(item: Record<string, unknown>): T => {
  const { pk, sk, type, gsi1pk, gsi1sk, ...rest } = item;
  void pk; void sk; void type; void gsi1pk; void gsi1sk;
  return rest as T;
};
