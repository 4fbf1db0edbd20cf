package io.edgetune.tflite;

/**
 * One entry of Model.buffers: constant data, or empty ({@code data.length == 0}) for tensors that are computed.
 * {@code fileOffset} says where the data started in the file it was read from (-1 when it was not read from a
 * file), so a caller can patch a copy of the original bytes in place.
 */
public final class Buffer {

    public byte[] data;
    public final long fileOffset;

    public Buffer(byte[] data) {
        this(data, -1);
    }

    Buffer(byte[] data, long fileOffset) {
        this.data = data == null ? new byte[0] : data;
        this.fileOffset = fileOffset;
    }

    public boolean isEmpty() {
        return data.length == 0;
    }
}
