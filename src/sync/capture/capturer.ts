/** One display's picture, in any format sharp reads (TIFF, PNG, JPEG, raw is not accepted here). */
export interface Frame {
  /** Stable id of the display (xrandr output name, Electron display id, ...). */
  displayId: string;
  image: Buffer;
}

/** The Capturer port: every display becomes its own frame, never stitched into one picture. */
export interface Capturer {
  grab(): Promise<Frame[]>;
}

/**
 * Capturers run inside the capture worker thread, so they are named by module rather than
 * passed as objects: the module exports `createCapturer(options)`.
 */
export interface CapturerSpec {
  /** file: URL or absolute path of a module exporting createCapturer. */
  module: string;
  options?: Record<string, unknown>;
}

export type CreateCapturer = (options: Record<string, unknown>) => Capturer;
