/**
 * The MSI's managed-policy property (electron-builder.yml: msiProjectCreated).
 *
 *   msiexec /i Stint-<version>-x64.msi /qn STINT_POLICY="\\fileserver\it\stint\policy.json"
 *
 * electron-builder writes the WiX project (project.wxs) from its template and calls this hook with
 * its path before candle compiles it. The hook adds, declaratively (no custom action):
 * - a public, Secure property STINT_POLICY (Secure: a per-machine install passes it from the
 *   client to the elevated server side);
 * - the folder %ProgramData%\Stint (CommonAppDataFolder), locked like the NSIS /POLICY= switch
 *   does (SYSTEM and Administrators full control, Users read and execute, nothing inherited);
 * - a component installed only when STINT_POLICY is set, holding a CopyFile (the Windows
 *   Installer MoveFile table) that copies the file STINT_POLICY names to policy.json there.
 * The component is Permanent and the copied file is no installed file of the package, so
 * uninstall (and the uninstall of the old version an upgrade runs) leaves the policy in place;
 * without STINT_POLICY an existing policy is left as it is. Nothing touches any user's
 * %APPDATA%\Stint\data (the outbox).
 *
 * Only node built-ins and @xmldom/xmldom are loaded: electron-builder imports this file with Node's
 * own TypeScript support, which strips the types and resolves no extension-less relative import.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

/**
 * The part of @xmldom/xmldom's DOM used here. Loaded through require with these types of our own:
 * its own typings pull the browser's DOM library into the whole tools project.
 */
export interface XmlNode {
  readonly nodeName: string;
  readonly parentNode: XmlNode | null;
  readonly textContent: string | null;
  appendChild(node: XmlNode): XmlNode;
}
export interface XmlElement extends XmlNode {
  readonly tagName: string;
  readonly namespaceURI: string | null;
  readonly ownerDocument: XmlDocument;
  getAttribute(name: string): string | null;
  hasAttribute(name: string): boolean;
  setAttribute(name: string, value: string): void;
  getElementsByTagName(tag: string): ArrayLike<XmlElement>;
}
export interface XmlDocument extends XmlNode {
  readonly documentElement: XmlElement | null;
  createElementNS(namespace: string | null, tag: string): XmlElement;
  createCDATASection(data: string): XmlNode;
  getElementsByTagName(tag: string): ArrayLike<XmlElement>;
}
interface XmlDom {
  DOMParser: new (options: { onError: (level: 'warning' | 'error' | 'fatalError', message: string) => void }) => {
    parseFromString(text: string, mime: 'text/xml'): XmlDocument;
  };
  XMLSerializer: new () => { serializeToString(node: XmlDocument): string };
}
const { DOMParser, XMLSerializer } = createRequire(import.meta.url)('@xmldom/xmldom') as XmlDom;

/** Parses XML, collecting the parser's complaints instead of letting it guess past them. */
export function parseXml(text: string): { doc: XmlDocument | null; problems: string[] } {
  const problems: string[] = [];
  const parser = new DOMParser({
    onError: (level, message) => {
      if (level !== 'warning') problems.push(message);
    },
  });
  try {
    return { doc: parser.parseFromString(text, 'text/xml'), problems };
  } catch (error) {
    // A fatal error has already been reported through onError; the parser then throws.
    if (problems.length === 0) problems.push(error instanceof Error ? error.message : String(error));
    return { doc: null, problems };
  }
}

export const POLICY_PROPERTY = 'STINT_POLICY';
export const POLICY_FOLDER_ID = 'STINTPOLICYFOLDER';
export const POLICY_COMPONENT_ID = 'StintManagedPolicy';
export const POLICY_COPY_ID = 'StintManagedPolicyCopy';
/** Fixed forever: Windows Installer counts the component's installs by it. */
const POLICY_COMPONENT_GUID = '{4F0D6C2A-8B7E-4A51-9D3C-2E6B1F8A7C05}';

/** Where the template must still look as it did when this was written; otherwise the build stops. */
export class MsiTemplateChanged extends Error {
  constructor(missing: string) {
    super(
      `msi-policy: electron-builder's WiX project has no ${missing}; its MSI template changed, so ` +
        'STINT_POLICY cannot be added. Update scripts/electron/msi-policy.ts for the new template ' +
        '(the MSI is not built without it).',
    );
    this.name = 'MsiTemplateChanged';
  }
}

function child(parent: XmlElement, tag: string, attributes: Record<string, string>): XmlElement {
  const doc = parent.ownerDocument;
  const element = doc.createElementNS(parent.namespaceURI, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  parent.appendChild(element);
  return element;
}

function elements(root: XmlElement, tag: string): XmlElement[] {
  return Array.from(root.getElementsByTagName(tag));
}

function only(root: XmlElement, tag: string, id: string | null, what: string): XmlElement {
  const found = elements(root, tag).filter((e) => id === null || e.getAttribute('Id') === id);
  if (found.length !== 1) throw new MsiTemplateChanged(what);
  return found[0]!;
}

/** The WiX project text with the STINT_POLICY property added (unchanged when it is already there). */
export function addPolicyProperty(wxs: string): string {
  const { doc, problems } = parseXml(wxs);
  const wix = doc?.documentElement;
  if (!doc || problems.length > 0 || !wix || wix.tagName !== 'Wix') {
    throw new MsiTemplateChanged(`well-formed <Wix> document (${problems.join('; ') || 'no <Wix> root'})`);
  }
  const product = only(wix, 'Product', null, '<Product> element');
  const targetDir = only(product, 'Directory', 'TARGETDIR', '<Directory Id="TARGETDIR">');
  const feature = only(product, 'Feature', 'ProductFeature', '<Feature Id="ProductFeature">');
  if (elements(product, 'Property').some((p) => p.getAttribute('Id') === POLICY_PROPERTY)) return wxs;

  // The template's own dialect: WiX 3 elements (<Condition> children) under the v4 namespace.
  child(product, 'Property', { Id: POLICY_PROPERTY, Secure: 'yes' });

  const programData = child(targetDir, 'Directory', { Id: 'CommonAppDataFolder' });
  const folder = child(programData, 'Directory', { Id: POLICY_FOLDER_ID, Name: 'Stint' });
  const component = child(folder, 'Component', {
    Id: POLICY_COMPONENT_ID,
    Guid: POLICY_COMPONENT_GUID,
    KeyPath: 'yes',
    Permanent: 'yes',
  });
  child(component, 'Condition', {}).appendChild(doc.createCDATASection(POLICY_PROPERTY));
  const create = child(component, 'CreateFolder', {});
  child(create, 'Permission', { User: 'SYSTEM', GenericAll: 'yes' });
  child(create, 'Permission', { User: 'Administrators', GenericAll: 'yes' });
  child(create, 'Permission', { User: 'Users', GenericRead: 'yes', GenericExecute: 'yes' });
  child(component, 'CopyFile', {
    Id: POLICY_COPY_ID,
    SourceProperty: POLICY_PROPERTY,
    DestinationDirectory: POLICY_FOLDER_ID,
    DestinationName: 'policy.json',
  });
  child(feature, 'ComponentRef', { Id: POLICY_COMPONENT_ID });

  return new XMLSerializer().serializeToString(doc);
}

/** electron-builder's msiProjectCreated hook: rewrites project.wxs in place. */
export async function msiProjectCreated(projectFile: string): Promise<void> {
  await writeFile(projectFile, addPolicyProperty(await readFile(projectFile, 'utf8')));
}

export default msiProjectCreated;
