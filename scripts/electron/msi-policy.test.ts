import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  addPolicyProperty,
  MsiTemplateChanged,
  msiProjectCreated,
  parseXml,
  POLICY_COMPONENT_ID,
  POLICY_FOLDER_ID,
  POLICY_PROPERTY,
  type XmlDocument,
  type XmlElement,
} from './msi-policy';

const require = createRequire(import.meta.url);
/** electron-builder's own template engine (app-builder-lib depends on ejs; it has no typings here). */
const ejs = require('ejs') as { compile(template: string): (data: Record<string, unknown>) => string };
const templateFile = join(require.resolve('app-builder-lib/package.json'), '..', 'templates/msi/template.xml');

/**
 * electron-builder's own template, filled the way MsiTarget does (its projectTemplate: `{{ }}` are
 * EJS scriptlets, `${x}` EJS output) with the options our electron-builder.yml msi section gives:
 * per-machine, one-click (not assisted), no run-after-finish, Start menu shortcut, no desktop one.
 */
function renderProject(): string {
  const template = readFileSync(templateFile, 'utf8')
    .replace(/{{/g, '<%')
    .replace(/}}/g, '%>')
    .replace(/\${([^}]+)}/g, '<%=$1%>');
  const msi = (parse(readFileSync('electron-builder.yml', 'utf8')) as { msi: Record<string, unknown> }).msi;
  return ejs.compile(template)({
    isPerMachine: msi.perMachine === true,
    isAssisted: msi.oneClick === false,
    isRunAfterFinish: msi.runAfterFinish !== false,
    isCreateDesktopShortcut: msi.createDesktopShortcut !== false,
    isCreateStartMenuShortcut: msi.createStartMenuShortcut !== false,
    menuCategory: null,
    iconPath: 'C:\\build\\icon.ico',
    iconId: 'StintIcon.exe',
    compressionLevel: 'high',
    version: '1.4.0.0',
    productName: 'Stint',
    upgradeCode: String(msi.upgradeCode),
    manufacturer: 'Stint',
    programFilesId: 'ProgramFiles64Folder',
    installationDirectoryWixName: 'Stint',
    dirs: ['<Directory Id="dres" Name="APPLICATIONFOLDER:\\resources\\"/>'],
    files: [
      '<Component><File Id="mainExecutable" Name="Stint.exe" Source="$(var.appDir)\\Stint.exe" ReadOnly="yes" KeyPath="yes" Checksum="yes"/></Component>',
      '<Component Directory="dres"><File Name="app.asar" Source="$(var.appDir)\\resources\\app.asar" ReadOnly="yes" KeyPath="yes"/></Component>',
    ],
  });
}

function wellFormed(text: string): XmlDocument {
  const { doc, problems } = parseXml(text);
  expect(problems).toEqual([]);
  expect(doc).not.toBeNull();
  return doc!;
}

function byId(doc: XmlDocument, tag: string, id: string): XmlElement[] {
  return Array.from(doc.getElementsByTagName(tag)).filter((e) => e.getAttribute('Id') === id);
}

describe('the MSI STINT_POLICY property (msiProjectCreated hook)', () => {
  const project = renderProject();
  const doc = wellFormed(addPolicyProperty(project));

  it('declares STINT_POLICY as a Secure public property of the product', () => {
    const [property, ...more] = byId(doc, 'Property', POLICY_PROPERTY);
    expect(more).toEqual([]);
    expect(property?.getAttribute('Secure')).toBe('yes');
    expect(property?.parentNode?.nodeName).toBe('Product');
    expect(property?.hasAttribute('Value')).toBe(false);
  });

  it('puts the policy folder at %ProgramData%\\Stint, under TARGETDIR', () => {
    const [folder] = byId(doc, 'Directory', POLICY_FOLDER_ID);
    expect(folder?.getAttribute('Name')).toBe('Stint');
    const programData = folder?.parentNode as XmlElement;
    expect(programData.getAttribute('Id')).toBe('CommonAppDataFolder');
    expect((programData.parentNode as XmlElement).getAttribute('Id')).toBe('TARGETDIR');
  });

  it('installs, only when STINT_POLICY is set, a permanent component that copies that file to policy.json', () => {
    const [component] = byId(doc, 'Component', POLICY_COMPONENT_ID);
    expect((component?.parentNode as XmlElement).getAttribute('Id')).toBe(POLICY_FOLDER_ID);
    expect(component?.getAttribute('Guid')).toMatch(/^\{[0-9A-F-]{36}\}$/);
    expect(component?.getAttribute('Permanent')).toBe('yes');
    const condition = component?.getElementsByTagName('Condition')[0];
    expect(condition?.textContent).toBe(POLICY_PROPERTY);
    const copies = Array.from(component?.getElementsByTagName('CopyFile') ?? []);
    expect(copies).toHaveLength(1);
    expect(copies[0]?.getAttribute('SourceProperty')).toBe(POLICY_PROPERTY);
    expect(copies[0]?.getAttribute('DestinationDirectory')).toBe(POLICY_FOLDER_ID);
    expect(copies[0]?.getAttribute('DestinationName')).toBe('policy.json');
    // A CopyFile with SourceProperty is a MoveFile row; a FileId would make it a DuplicateFile.
    expect(copies[0]?.hasAttribute('FileId')).toBe(false);
  });

  it('locks the folder like the NSIS /POLICY= switch: SYSTEM and Administrators full, Users read', () => {
    const create = byId(doc, 'Component', POLICY_COMPONENT_ID)[0]?.getElementsByTagName('CreateFolder')[0];
    const grants = Array.from(create?.getElementsByTagName('Permission') ?? []).map((p) =>
      [p.getAttribute('User'), p.getAttribute('GenericAll') ?? '', p.getAttribute('GenericRead') ?? '', p.getAttribute('GenericExecute') ?? ''].join(' '),
    );
    expect(grants).toEqual(['SYSTEM yes  ', 'Administrators yes  ', 'Users  yes yes']);
  });

  it('adds the component to the ProductFeature, beside the app files', () => {
    const [feature] = byId(doc, 'Feature', 'ProductFeature');
    const refs = Array.from(feature?.getElementsByTagName('ComponentRef') ?? []).map((r) => r.getAttribute('Id'));
    expect(refs).toEqual([POLICY_COMPONENT_ID]);
    expect(feature?.getElementsByTagName('ComponentGroupRef')[0]?.getAttribute('Id')).toBe('ProductComponents');
  });

  it('keeps the rest of the project: the app files, the per-machine ALLUSERS and the namespace', () => {
    expect(byId(doc, 'Property', 'ALLUSERS')[0]?.getAttribute('Value')).toBe('1');
    expect(Array.from(doc.getElementsByTagName('File')).map((f) => f.getAttribute('Name'))).toEqual(['Stint.exe', 'app.asar']);
    expect(doc.documentElement?.namespaceURI).toBe('http://wixtoolset.org/schemas/v4/wxs');
    expect(byId(doc, 'Component', POLICY_COMPONENT_ID)[0]?.namespaceURI).toBe('http://wixtoolset.org/schemas/v4/wxs');
  });

  it('adds nothing the second time (a project already carrying STINT_POLICY is left as it is)', () => {
    const once = addPolicyProperty(project);
    expect(addPolicyProperty(once)).toBe(once);
  });

  it('stops the build, naming what is missing, when the template no longer has its anchors', () => {
    expect(() => addPolicyProperty(project.replace('Id="ProductFeature"', 'Id="MainFeature"'))).toThrow(MsiTemplateChanged);
    expect(() => addPolicyProperty(project.replace('Id="ProductFeature"', 'Id="MainFeature"'))).toThrow(
      /no <Feature Id="ProductFeature">; its MSI template changed/,
    );
    expect(() => addPolicyProperty(project.replace('Id="TARGETDIR"', 'Id="ROOT"'))).toThrow(/no <Directory Id="TARGETDIR">/);
    expect(() => addPolicyProperty(project.replace(/<\/?Product\b[^>]*>/g, ''))).toThrow(/no <Product> element/);
    expect(() => addPolicyProperty('<Wix><Product>')).toThrow(/no well-formed <Wix> document/);
    expect(() => addPolicyProperty('')).toThrow(/no well-formed <Wix> document/);
    expect(() => addPolicyProperty('<Wix><Product></Wix>')).toThrow(/no well-formed <Wix> document \(.+\)/);
  });

  describe('as the hook electron-builder calls with project.wxs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stint-msi-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('rewrites the file in place', async () => {
      const file = join(dir, 'project.wxs');
      writeFileSync(file, project);
      await msiProjectCreated(file);
      expect(readFileSync(file, 'utf8')).toBe(addPolicyProperty(project));
    });

    it('is what electron-builder.yml names, and electron-builder\'s own hook loader finds it', async () => {
      const config = parse(readFileSync('electron-builder.yml', 'utf8')) as { msiProjectCreated?: string };
      expect(config.msiProjectCreated).toBe('./scripts/electron/msi-policy.ts');
      // app-builder-lib's resolveFunction, run in a plain Node process as `npm run package` runs
      // electron-builder: it requires the .ts file with Node's type stripping, no bundler.
      const load =
        "require('app-builder-lib/out/util/resolve.js').resolveFunction('msi', process.argv[1], 'msiProjectCreated', process.cwd())" +
        '.then((f) => console.log(typeof f, f.name))';
      const run = spawnSync(process.execPath, ['-e', load, config.msiProjectCreated ?? ''], { encoding: 'utf8' });
      expect(run.stdout.trim(), run.stderr).toBe('function msiProjectCreated');
    });
  });
});
