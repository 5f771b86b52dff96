import type { DeviceNumbers } from '../../../shared/model.js';

/**
 * A Linux device number in its 32-bit on-disk form (the kernel's new_encode_dev, used by ext4's
 * i_block[1] and EROFS's i_u) or glibc's 64-bit dev_t (Node's `stats.rdev`): both put the low 8
 * bits of the minor first, then 12 bits of major, then the rest of the minor; glibc keeps higher
 * major and minor bits above bit 32.
 */
export function decodeDeviceNumber(dev: number): DeviceNumbers {
  const low = dev % 2 ** 32;
  const high = Math.floor(dev / 2 ** 32);
  return {
    major: ((low >>> 8) & 0xfff) + (high - (high % 0x1000)),
    minor: ((low & 0xff) | ((low >>> 12) & 0xfff00)) + (high % 0x1000) * 2 ** 20,
  };
}
