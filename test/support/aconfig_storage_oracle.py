#!/usr/bin/env python3
"""An independent reader of aconfig flag storage files, for OTA Lens's tests.

Written from the layout AOSP's build/tools/aconfig/aconfig_storage_file (versions 1 and 2)
describes, in Python's struct module, and looking flags up the way the device does: the package
through the package map's hash buckets (SipHash-1-3 of the name and 0xff), each flag through the
flag map's buckets (of "<package id>/<name>"), following the bucket chains. Prints one JSON list of
{package, name, value, storedType, readWrite} for FOLDER/{package.map,flag.map,flag.val,flag.info}.

    python3 aconfig_storage_oracle.py FOLDER
"""
import json
import struct
import sys

MASK = (1 << 64) - 1


def rotl(value, bits):
    return ((value << bits) | (value >> (64 - bits))) & MASK


def siphash13(data):
    v0, v1, v2, v3 = 0x736F6D6570736575, 0x646F72616E646F6D, 0x6C7967656E657261, 0x7465646279746573

    def sip_round():
        nonlocal v0, v1, v2, v3
        v0 = (v0 + v1) & MASK; v1 = rotl(v1, 13) ^ v0; v0 = rotl(v0, 32)
        v2 = (v2 + v3) & MASK; v3 = rotl(v3, 16) ^ v2
        v0 = (v0 + v3) & MASK; v3 = rotl(v3, 21) ^ v0
        v2 = (v2 + v1) & MASK; v1 = rotl(v1, 17) ^ v2; v2 = rotl(v2, 32)

    tail_start = len(data) - len(data) % 8
    for offset in range(0, tail_start, 8):
        (word,) = struct.unpack_from('<Q', data, offset)
        v3 ^= word
        sip_round()
        v0 ^= word
    last = (len(data) & 0xFF) << 56
    for index, byte in enumerate(data[tail_start:]):
        last |= byte << (8 * index)
    v3 ^= last
    sip_round()
    v0 ^= last
    v2 ^= 0xFF
    for _ in range(3):
        sip_round()
    return v0 ^ v1 ^ v2 ^ v3


PRIMES = [7, 17, 29, 53, 97, 193, 389, 769, 1543, 3079, 6151, 12289, 24593, 49157, 98317, 196613, 393241]


def table_size(entries):
    return next(prime for prime in PRIMES if prime >= 2 * entries)


def bucket(key, buckets):
    return siphash13(key.encode('utf-8') + b'\xff') % buckets


def text(data, at):
    (length,) = struct.unpack_from('<I', data, at)
    return data[at + 4:at + 4 + length].decode('utf-8'), at + 4 + length


def header(data, file_type, offsets):
    (version,) = struct.unpack_from('<I', data, 0)
    container, at = text(data, 4)
    kind, size, count = struct.unpack_from('<BII', data, at)
    assert kind == file_type, f'file type {kind}, expected {file_type}'
    assert size == len(data), f'header says {size} bytes, file has {len(data)}'
    values = struct.unpack_from('<' + 'I' * offsets, data, at + 9)
    return version, container, count, list(values)


def main(folder):
    read = lambda name: open(f'{folder}/{name}', 'rb').read()
    package_map, flag_map, flag_val, flag_info = read('package.map'), read('flag.map'), read('flag.val'), read('flag.info')
    version, _, packages, (package_buckets_at, _) = header(package_map, 0, 2)
    _, _, flags, (flag_buckets_at, flag_nodes_at) = header(flag_map, 1, 2)
    _, _, values, (values_at,) = header(flag_val, 2, 1)
    _, _, infos, (infos_at,) = header(flag_info, 3, 1)

    def find_package(name):
        buckets = table_size(packages)
        (offset,) = struct.unpack_from('<I', package_map, package_buckets_at + 4 * bucket(name, buckets))
        while offset:
            node_name, at = text(package_map, offset)
            (package_id,) = struct.unpack_from('<I', package_map, at)
            at += 4 + (8 if version >= 2 else 0)
            start, following = struct.unpack_from('<II', package_map, at)
            if node_name == name:
                return package_id, start
            offset = following
        raise KeyError(name)

    def find_flag(package_id, name):
        buckets = table_size(flags)
        (offset,) = struct.unpack_from('<I', flag_map, flag_buckets_at + 4 * bucket(f'{package_id}/{name}', buckets))
        while offset:
            (node_package,) = struct.unpack_from('<I', flag_map, offset)
            node_name, at = text(flag_map, offset + 4)
            stored_type, index, following = struct.unpack_from('<HHI', flag_map, at)
            if node_package == package_id and node_name == name:
                return stored_type, index
            offset = following
        raise KeyError(name)

    # Every (package, flag) named in the maps, found again through the hash tables.
    names = {}
    at = package_buckets_at + 4 * table_size(packages)
    for _ in range(packages):
        name, at = text(package_map, at)
        (package_id,) = struct.unpack_from('<I', package_map, at)
        at += 4 + (8 if version >= 2 else 0) + 8
        names[package_id] = name
    result = []
    at = flag_nodes_at
    for _ in range(flags):
        (package_id,) = struct.unpack_from('<I', flag_map, at)
        name, at = text(flag_map, at + 4)
        at += 8
        package = names[package_id]
        found_id, start = find_package(package)
        stored_type, index = find_flag(found_id, name)
        slot = start + index
        assert slot < values and slot < infos
        result.append({'package': package, 'name': name, 'value': flag_val[values_at + slot] == 1, 'storedType': stored_type, 'readWrite': bool(flag_info[infos_at + slot] & 2)})
    result.sort(key=lambda flag: (flag['package'], flag['name']))
    print(json.dumps(result))


if __name__ == '__main__':
    main(sys.argv[1])
