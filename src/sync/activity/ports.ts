/** How long since the last keyboard or mouse input (never what the input was). */
export interface IdleSource {
  idleMs(): Promise<number>;
}

export interface WindowInfo {
  app: string;
  title: string | null;
}

/** The window in front: app name always, title only when the policy allows (the caller drops it). */
export interface ActiveWindow {
  current(): Promise<WindowInfo | null>;
}
