package dev.wirelab.emulator.device.virtio;

/**
 * A guest mistake found while processing a queue: always one of a closed set of
 * {@link Kind}s with a message carrying the guest context (queue, descriptor
 * index, address, length). Thrown inside the virtio code and caught by the
 * transport or the device, which log it and enter the DEVICE_NEEDS_RESET state;
 * it never leaves {@code read}/{@code write}.
 */
public final class VirtioException extends RuntimeException {
    /** What went wrong (modelled on Firecracker's typed queue errors). */
    public enum Kind {
        QUEUE_SIZE_ZERO("queue size is 0"),
        QUEUE_SIZE_NOT_POWER_OF_TWO("queue size is not a power of two"),
        QUEUE_SIZE_TOO_LARGE("queue size exceeds QueueNumMax"),
        RING_MISALIGNED("ring or descriptor table misaligned"),
        RING_OUTSIDE_MEMORY("ring or descriptor table outside guest memory"),
        QUEUE_NOT_READY("queue not set up"),
        AVAIL_INDEX_JUMP("available index moved by more than the queue size"),
        DESC_INDEX_OUT_OF_BOUNDS("descriptor index out of bounds"),
        CHAIN_LOOP("descriptor chain longer than its table (loop)"),
        ZERO_LENGTH_DESCRIPTOR("zero-length descriptor"),
        DESCRIPTOR_OUTSIDE_MEMORY("descriptor buffer outside guest memory"),
        ADDRESS_WRAPS("descriptor buffer wraps around the address space"),
        CHAIN_TOO_LONG("descriptor chain longer than 4 GiB"),
        BAD_INDIRECT_TABLE("bad indirect descriptor table"),
        NESTED_INDIRECT("indirect descriptor inside an indirect table"),
        INDIRECT_NOT_NEGOTIATED("indirect descriptor without VIRTIO_F_RING_INDIRECT_DESC"),
        READABLE_AFTER_WRITABLE("device-readable descriptor after a device-writable one"),
        WRONG_DIRECTION("descriptor direction not what the request needs"),
        BAD_REQUEST("malformed device request"),
        MEMORY("guest memory access failed");

        private final String description;

        Kind(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    private final Kind kind;

    public VirtioException(Kind kind, String context) {
        super(kind.name() + ": " + kind.description + ": " + context);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
