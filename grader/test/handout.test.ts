import { describe, expect, it } from 'vitest';
import { renderHandout } from '../src/assignment/handout.ts';
import { AssignmentError, listAssignmentIds, loadAssignment } from '../src/assignment/load.ts';
import { cpSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT, tempDir } from './helpers.ts';

describe('handouts', () => {
  it('every assignment has a handout that renders with its points', async () => {
    for (const id of listAssignmentIds()) {
      const assignment = await loadAssignment(id);
      const text = renderHandout(assignment);
      expect(text).not.toContain('{{');
      const total = assignment.spec.problems.reduce((s, p) => s + p.points, 0);
      expect(text).toContain(`${total} points`);
      for (const p of assignment.spec.problems) expect(text).toContain(`\`${p.export}\``);
    }
  });

  it('refuses a handout that names a problem the assignment does not have', async () => {
    const root = tempDir({});
    cpSync(path.join(PROJECT_ROOT, 'assignments/cnn-layers'), path.join(root, 'assignments/cnn-layers'), { recursive: true });
    cpSync(path.join(PROJECT_ROOT, 'solutions'), path.join(root, 'solutions'), { recursive: true });
    cpSync(path.join(PROJECT_ROOT, 'grader'), path.join(root, 'grader'), { recursive: true });
    writeFileSync(path.join(root, 'assignments/cnn-layers/handout.md.hbs'), 'Points: {{problems.conv3d.points}}\n');
    const assignment = await loadAssignment('cnn-layers', root);
    expect(() => renderHandout(assignment)).toThrow(AssignmentError);
    expect(() => renderHandout(assignment)).toThrow('assignments/cnn-layers/handout.md.hbs: names problem "conv3d", which assignment.ts does not define');
  });
});
