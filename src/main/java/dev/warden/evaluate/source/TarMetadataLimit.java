package dev.warden.evaluate.source;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Watches a tar stream on its way to commons-compress and stops it at a metadata entry (a PAX header, a GNU long
 * name or link) larger than {@code limit}: commons-compress reads such an entry whole into memory before it hands
 * out the next file, so a crate of 150 KB declaring a path of 300 MB would exhaust the heap, and the library has no
 * limit to set. The watcher follows the 512-byte header blocks and skips the data between them; it never buffers
 * more than one header.
 */
final class TarMetadataLimit extends FilterInputStream {

    /** Thrown on the first oversized metadata entry, with its declared size. */
    static final class TooLarge extends IOException {
        TooLarge(long size) {
            super("a tar metadata entry (PAX header or long name) of " + size + " bytes");
        }
    }

    private static final int BLOCK = 512;

    private final long limit;
    private final byte[] header = new byte[BLOCK];
    private int headerFill;
    private long dataLeft;

    TarMetadataLimit(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            watch(new byte[] {(byte) b}, 0, 1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            watch(buffer, offset, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // read through the watcher: skipped bytes may hold headers
        byte[] scratch = new byte[(int) Math.min(8192, Math.max(0, n))];
        long skipped = 0;
        while (skipped < n) {
            int read = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
            if (read < 0) {
                break;
            }
            skipped += read;
        }
        return skipped;
    }

    private void watch(byte[] bytes, int offset, int length) throws IOException {
        int at = offset;
        int end = offset + length;
        while (at < end) {
            if (dataLeft > 0) {
                int skip = (int) Math.min(dataLeft, end - at);
                dataLeft -= skip;
                at += skip;
                continue;
            }
            int take = Math.min(BLOCK - headerFill, end - at);
            System.arraycopy(bytes, at, header, headerFill, take);
            headerFill += take;
            at += take;
            if (headerFill == BLOCK) {
                headerFill = 0;
                onHeader();
            }
        }
    }

    private void onHeader() throws IOException {
        long size = size();
        byte type = header[156];
        boolean metadata = type == 'x' || type == 'g' || type == 'L' || type == 'K';
        if (metadata && (size < 0 || size > limit)) {
            throw new TooLarge(size < 0 ? Long.MAX_VALUE : size);
        }
        // links, directories and devices carry no data whatever their size field says
        boolean hasData = type == 0 || type == '0' || type == '7' || metadata
                || !(type == '1' || type == '2' || type == '3' || type == '4' || type == '5' || type == '6');
        dataLeft = hasData && size > 0 ? (size + BLOCK - 1) / BLOCK * BLOCK : 0;
    }

    /** The size field: octal digits, or base-256 when its top bit is set (-1 when too large to be real). */
    private long size() {
        if ((header[124] & 0x80) != 0) {
            long value = 0;
            for (int i = 125; i < 136; i++) {
                if (value > (Long.MAX_VALUE >> 8)) {
                    return -1;
                }
                value = value << 8 | (header[i] & 0xff);
            }
            return value;
        }
        long value = 0;
        for (int i = 124; i < 136; i++) {
            byte c = header[i];
            if (c >= '0' && c <= '7') {
                value = value * 8 + (c - '0');
            } else if (c != ' ' && c != 0) {
                return 0; // not a header commons-compress will accept either: it refuses the archive itself
            }
        }
        return value;
    }
}
