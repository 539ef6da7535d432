/** What the renderers add around the model: where the events came from and what was checked. */
export interface RenderOptions {
  title?: string;
  /** Label/value lines shown under the title, e.g. the bundle, its head hash, whether it verified. */
  provenance?: { label: string; value: string }[];
}
