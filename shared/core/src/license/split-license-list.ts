/**
 * A list of licenses written as one text, as Trivy and package metadata do:
 * "GPL-2.0, LGPL-2.0" (Termux/RPM), "MIT/Apache-2.0" (old Cargo). Only
 * called after the whole text failed to map, so names that hold a comma or a
 * slash ("LGPL, version 2.1", "MIT/X11") are read whole first; URLs are never
 * split. Null when the text is not a list of at least two parts.
 */
const separator = /\s*[,;/]\s*/u;

export const splitLicenseList = (text: string): string[] | null => {
  if (text.includes('://') || !separator.test(text)) return null;
  const parts = text
    .split(separator)
    .map((part) => part.trim())
    .filter((part) => part !== '');
  return parts.length >= 2 ? parts : null;
};
