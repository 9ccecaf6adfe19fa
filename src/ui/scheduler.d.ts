// The part of React's scheduler (the package React and Ink schedule their work with) that
// key-layers.ts uses. The package ships no types.
declare module 'scheduler' {
  export type Task = { readonly id: number };
  export const unstable_NormalPriority: 3;
  export function unstable_scheduleCallback(priority: number, callback: () => void): Task;
  export function unstable_cancelCallback(task: Task): void;
}
