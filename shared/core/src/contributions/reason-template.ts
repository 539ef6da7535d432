/**
 * Fills `{name}` placeholders of a policy's reason text. Unknown placeholders
 * stay as written, so a typo in the policy shows up in the text instead of
 * vanishing.
 */
export const fillReason = (template: string, values: Readonly<Record<string, string>>): string =>
  template.replace(/\{([a-zA-Z]+)\}/g, (whole, name: string) => values[name] ?? whole);
