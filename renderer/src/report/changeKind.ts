export type ChangeKind = 'added' | 'removed' | 'changed';
/** A row of a table that also lists what stayed the same, such as an app's whole permission list. */
export type RowStatus = ChangeKind | 'unchanged';
