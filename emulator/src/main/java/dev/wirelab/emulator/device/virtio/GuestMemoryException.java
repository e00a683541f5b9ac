package dev.wirelab.emulator.device.virtio;

/** A device access to guest memory that the memory does not contain. Unchecked: devices catch it and fail. */
public final class GuestMemoryException extends RuntimeException {
    private final long address;
    private final long length;

    public GuestMemoryException(long address, long length, String why) {
        super(String.format("guest memory access at 0x%x length %d: %s", address, length, why));
        this.address = address;
        this.length = length;
    }

    public long address() {
        return address;
    }

    public long length() {
        return length;
    }
}
