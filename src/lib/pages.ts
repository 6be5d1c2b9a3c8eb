/**
 * Walks every row a keyset-paged query returns (ids ascending, `after` the last id seen),
 * doing `work` on each; one that throws is reported to `onError` and never stops the rest.
 */
export async function eachPaged<T extends { id: string }>(
  page: (after: string, size: number) => Promise<T[]>,
  work: (row: T) => Promise<void>,
  onError: (row: T, err: unknown) => void,
  size = 500,
): Promise<void> {
  for (let after = ''; ; ) {
    const rows = await page(after, size);
    for (const row of rows) {
      try {
        await work(row);
      } catch (err) {
        onError(row, err);
      }
    }
    if (rows.length < size) return;
    after = rows[rows.length - 1]!.id;
  }
}
