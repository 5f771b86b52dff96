/** Words and `ls -l` letters for the kinds of tree entry, shared by the CLI and the report. */
import type { DeviceNumbers, FileType } from './model.js';

const WORDS: Record<FileType, string> = {
  file: 'file',
  directory: 'folder',
  symlink: 'symbolic link',
  'char-device': 'character device',
  'block-device': 'block device',
  fifo: 'FIFO (named pipe)',
  socket: 'socket',
};

/** The letter `ls -l` shows in front of the mode. */
const LETTERS: Record<FileType, string> = {
  file: '-',
  directory: 'd',
  symlink: 'l',
  'char-device': 'c',
  'block-device': 'b',
  fifo: 'p',
  socket: 's',
};

/** `character device 1:3`, `FIFO (named pipe)`, `symbolic link`. */
export function describeFileType(type: FileType, device?: DeviceNumbers): string {
  return device === undefined ? WORDS[type] : `${WORDS[type]} ${formatDevice(device)}`;
}

export function fileTypeLetter(type: FileType): string {
  return LETTERS[type];
}

/** `major:minor`. */
export function formatDevice(device: DeviceNumbers): string {
  return `${device.major}:${device.minor}`;
}
