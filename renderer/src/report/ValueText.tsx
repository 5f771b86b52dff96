/** A firmware value as plain text (monospace unless it is a description in words); absent and empty values are named in words so they cannot be confused. */
export function ValueText({ value, prose = false }: { value: string | null; prose?: boolean }) {
  if (value === null) return <span className="value-missing">(not set)</span>;
  if (value === '') return <span className="value-missing">(empty)</span>;
  return <span className={prose ? 'value' : 'value mono'}>{value}</span>;
}
