/** Says which feature rules the verdicts come from, when rule files were added to the built-in ones. */
export function RuleFilesNote({ ruleFiles }: { ruleFiles: readonly string[] | undefined }) {
  if (ruleFiles === undefined || ruleFiles.length === 0) return null;
  return (
    <p className="rule-files-note" data-testid="rule-files">
      Feature rules: the built-in ones and{' '}
      {ruleFiles.map((file, index) => (
        <span key={`${file}\u0000${index}`}>
          {index > 0 && ', '}
          <span className="mono">{file}</span>
        </span>
      ))}
      .
    </p>
  );
}
