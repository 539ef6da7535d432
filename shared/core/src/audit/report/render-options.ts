/** What the renderers add around the model: where the events came from and what was checked. */
export interface RenderOptions {
  title?: string;
  /** Label/value lines shown under the title, e.g. the bundle, its head hash, whether it verified. */
  provenance?: { label: string; value: string }[];
  /** Sections computed elsewhere (e.g. the dossier's ISO/IEC 5230 map), appended after the report's own. */
  sections?: ReportSection[];
}

/** One extra section, already rendered: HTML (escaped by its author) and Markdown. */
export interface ReportSection {
  html: string;
  markdown: string;
}
