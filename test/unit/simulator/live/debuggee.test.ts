// The debuggee's PID and stops from DAP messages, as real adapters send them: lldb-vscode's and
// debugpy's process events, cppdbg's attach (processId as a string), CodeLLDB's, lldb-dap's and
// gdb's attach (pid), stopped/threads/continued/exited events. Hostile values are ignored.
import { describe, expect, it } from 'vitest';
import { attachPid, debuggeeFact, DebuggeeState, pidValue } from '../../../../simulator/live/debuggee';

const event = (name: string, body: unknown) => ({ seq: 9, type: 'event', event: name, body });
const attach = (args: unknown) => ({ seq: 3, type: 'request', command: 'attach', arguments: args });

describe('the PID in DAP messages', () => {
  it('the process event: systemProcessId (lldb-vscode, debugpy, cppdbg)', () => {
    const lldb = event('process', { isLocalProcess: true, name: '/tmp/mmap-stops', startMethod: 'launch', systemProcessId: 4711 });
    expect(debuggeeFact(lldb, 'fromAdapter')).toEqual({ kind: 'pid', pid: 4711, source: 'process event', name: '/tmp/mmap-stops' });
    const debugpy = event('process', { name: 'app.py', systemProcessId: 812, isLocalProcess: true, startMethod: 'attach', pointerSize: 64 });
    expect(debuggeeFact(debugpy, 'fromAdapter')).toMatchObject({ kind: 'pid', pid: 812 });
  });

  it('an attach request: pid (lldb-dap, CodeLLDB, gdb) or processId (cppdbg as a string, debugpy as a number)', () => {
    expect(debuggeeFact(attach({ pid: 77 }), 'toAdapter')).toEqual({ kind: 'pid', pid: 77, source: 'attach request' });
    expect(debuggeeFact(attach({ program: 'a.out', processId: '4321', MIMode: 'gdb' }), 'toAdapter')).toMatchObject({ pid: 4321 });
    expect(debuggeeFact(attach({ processId: 99, justMyCode: false }), 'toAdapter')).toMatchObject({ pid: 99 });
    expect(attachPid({ pid: '  1234 ' })).toBe(1234);
    // A launch request, or an attach by name or by host:port, names no PID.
    expect(debuggeeFact({ type: 'request', command: 'launch', arguments: { pid: 5 } }, 'toAdapter')).toBeUndefined();
    expect(debuggeeFact(attach({ program: 'a.out', waitFor: true }), 'toAdapter')).toBeUndefined();
    expect(debuggeeFact(attach({ connect: { host: 'localhost', port: 5678 } }), 'toAdapter')).toBeUndefined();
    // Direction matters: an attach request seen coming from the adapter is not VS Code's.
    expect(debuggeeFact(attach({ pid: 77 }), 'fromAdapter')).toBeUndefined();
  });

  it('values that are not a PID are ignored', () => {
    for (const v of [0, -1, 1.5, 2 ** 23, NaN, '12a', '${command:pickProcess}', '', null, undefined, {}, [], '123456789']) expect(pidValue(v), String(v)).toBeUndefined();
    expect(pidValue(1 << 22)).toBe(1 << 22);
    for (const m of [null, 42, 'process', [], { type: 'event' }, event('process', null), event('process', { systemProcessId: 'x' })]) {
      expect(debuggeeFact(m, 'fromAdapter')).toBeUndefined();
    }
  });

  it('a process on another machine (isLocalProcess false) is remote: /proc here cannot show it', () => {
    expect(debuggeeFact(event('process', { isLocalProcess: false, systemProcessId: 5, name: 'remote' }), 'fromAdapter')).toEqual({ kind: 'remote', name: 'remote' });
  });
});

describe('a debug session followed message by message', () => {
  it('learns the PID, numbers the stops, names the thread when the threads response comes, and ends', () => {
    const s = new DebuggeeState('Launch mmap-stops');
    expect(s.observe({ type: 'request', command: 'launch', arguments: { program: '/tmp/a' } }, 'toAdapter')).toEqual({ kind: 'none' });
    expect(s.observe(event('process', { systemProcessId: 4711, isLocalProcess: true }), 'fromAdapter')).toEqual({ kind: 'pid', pid: 4711 });
    const first = s.observe(event('stopped', { reason: 'breakpoint', threadId: 4711, description: 'breakpoint 1.1', allThreadsStopped: true }), 'fromAdapter');
    expect(first).toEqual({ kind: 'stopped', pid: 4711, stop: { session: 'Launch mmap-stops', thread: '#4711', reason: 'breakpoint 1.1', stop: 1 } });
    const threads = { seq: 12, type: 'response', request_seq: 7, success: true, command: 'threads', body: { threads: [{ id: 4711, name: 'mmap-stops' }] } };
    expect(s.observe(threads, 'fromAdapter')).toEqual({ kind: 'renamed', stop: { session: 'Launch mmap-stops', thread: 'mmap-stops (#4711)', reason: 'breakpoint 1.1', stop: 1 } });
    expect(s.observe(threads, 'fromAdapter')).toEqual({ kind: 'none' });
    expect(s.observe(event('continued', { threadId: 4711, allThreadsContinued: true }), 'fromAdapter')).toEqual({ kind: 'continued' });
    expect(s.stopped).toBe(false);
    const second = s.observe(event('stopped', { reason: 'step', threadId: 4711 }), 'fromAdapter');
    expect(second).toMatchObject({ kind: 'stopped', stop: { thread: 'mmap-stops (#4711)', reason: 'step', stop: 2 } });
    s.observe(event('continued', { threadId: 4711 }), 'fromAdapter');
    const third = s.observe(event('stopped', { reason: 'exception', description: 'signal SIGSEGV', threadId: 4711 }), 'fromAdapter');
    expect(third).toMatchObject({ stop: { reason: 'exception (signal SIGSEGV)', stop: 3 } });
    expect(s.observe(event('exited', { exitCode: 0 }), 'fromAdapter')).toEqual({ kind: 'ended' });
    expect(s.observe(event('stopped', { reason: 'breakpoint' }), 'fromAdapter')).toEqual({ kind: 'none' });
  });

  it('the attach request gives the PID first; a process event may correct it, a second attach may not', () => {
    const s = new DebuggeeState('Attach');
    expect(s.observe(attach({ pid: 100 }), 'toAdapter')).toEqual({ kind: 'pid', pid: 100 });
    expect(s.observe(attach({ pid: 200 }), 'toAdapter')).toEqual({ kind: 'none' });
    expect(s.observe(event('process', { systemProcessId: 101 }), 'fromAdapter')).toEqual({ kind: 'pid', pid: 101 });
    expect(s.pidSource).toBe('process event');
  });

  it('without a PID a stop still counts, with pid undefined (the tracker then offers to pick the process)', () => {
    const s = new DebuggeeState('gdb');
    expect(s.observe(event('stopped', { reason: 'pause' }), 'fromAdapter')).toEqual({ kind: 'stopped', pid: undefined, stop: { session: 'gdb', thread: '', reason: 'pause', stop: 1 } });
    expect(s.setPid(55, 'picked')).toEqual({ kind: 'pid', pid: 55 });
  });
});
