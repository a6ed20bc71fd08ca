import { Button, ComboBox, Input, Label, ListBox, ListBoxItem, Popover, Text } from 'react-aria-components';
import type { Project } from '../stores/timer.store';

export interface PickerOption {
  id: string;
  projectId: string;
  taskId: string | null;
  label: string;
}

/** Projects and their tasks as one flat list: "Website" and "Website › Homepage". */
export function pickerOptions(projects: Project[]): PickerOption[] {
  return projects.flatMap((p) => [
    { id: p.id, projectId: p.id, taskId: null, label: p.name },
    ...p.tasks.map((t) => ({ id: `${p.id}/${t.id}`, projectId: p.id, taskId: t.id, label: `${p.name} › ${t.name}` })),
  ]);
}

interface Props {
  label: string;
  projects: Project[];
  value: { projectId: string | null; taskId: string | null };
  onChange(projectId: string | null, taskId: string | null): void;
  isDisabled?: boolean;
  description?: string;
}

/** Type to search, arrows to move, Enter to pick: React Aria's ComboBox does the keyboard and ARIA. */
export function ProjectPicker({ label, projects, value, onChange, isDisabled, description }: Props) {
  const options = pickerOptions(projects);
  const selected = value.projectId ? (value.taskId ? `${value.projectId}/${value.taskId}` : value.projectId) : null;
  return (
    <ComboBox
      className="field combobox"
      defaultItems={options}
      selectedKey={selected}
      onSelectionChange={(key) => {
        const o = options.find((x) => x.id === key);
        onChange(o?.projectId ?? null, o?.taskId ?? null);
      }}
      isDisabled={isDisabled ?? false}
      menuTrigger="focus"
    >
      <Label>{label}</Label>
      <div className="combobox-row">
        <Input placeholder="Type a project or task" />
        <Button aria-label="Show all projects">▾</Button>
      </div>
      {description && <Text slot="description" className="hint">{description}</Text>}
      <Popover className="popover">
        <ListBox className="listbox" renderEmptyState={() => <p className="empty">No project matches</p>}>
          {(o: PickerOption) => (
            <ListBoxItem id={o.id} textValue={o.label} className="option">
              {o.label}
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </ComboBox>
  );
}
