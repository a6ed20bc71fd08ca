declare module 'screenshot-desktop' {
  interface ScreenshotOptions {
    screen?: string | number;
    format?: 'jpg' | 'jpeg' | 'png' | 'tiff' | 'bmp' | 'gif';
    filename?: string;
    linuxLibrary?: 'imagemagick' | 'scrot';
  }
  interface ScreenshotDesktop {
    (options?: ScreenshotOptions): Promise<Buffer | string>;
    listDisplays(): Promise<Array<{ id: string; name: string; width?: number; height?: number }>>;
  }
  const screenshot: ScreenshotDesktop;
  export default screenshot;
}
