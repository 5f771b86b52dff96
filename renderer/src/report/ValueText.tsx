/** A property value as plain text; absent and empty values are named in words so they cannot be confused. */
export function ValueText({ value }: { value: string | null }) {
  if (value === null) return <span className="value-missing">(not set)</span>;
  if (value === '') return <span className="value-missing">(empty)</span>;
  return <span className="value mono">{value}</span>;
}
