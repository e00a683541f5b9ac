package dev.wirelab.emulator.device.virtio;

/**
 * The device half of a virtio device (net, block, entropy); the
 * {@link VirtioMmioTransport} is the other half and owns status, features,
 * queues and interrupts. A device is attached to exactly one transport, which
 * hands it a {@link VirtioContext} before any other call.
 */
public interface VirtioDevice {
    /** Virtio device ID (5): 1 net, 2 block, 4 entropy. */
    int deviceId();

    /** Short name for logs ("virtio-net"). */
    String name();

    /** Device-specific feature bits offered (the transport adds VERSION_1, INDIRECT_DESC, EVENT_IDX). */
    long deviceFeatures();

    /** Number of virtqueues. */
    int queueCount();

    /** QueueNumMax of queue {@code i} (a power of two). */
    int queueMaxSize(int i);

    void attach(VirtioContext context);

    /**
     * The device-specific configuration space as it is now (little-endian, both
     * for modern and, on AArch64, legacy drivers). Small; read on every config access.
     */
    byte[] config();

    /** A driver write to configuration space; most devices have none writable (default: logged, ignored). */
    default void writeConfig(VirtioContext context, int offset, int size, long value) {
        context.log(String.format("write to read-only config offset 0x%x size %d", offset, size));
    }

    /** DRIVER_OK was set: features are final and queues may be used. */
    default void activate() {
    }

    /**
     * The driver notified queue {@code queue} (which is set up). Throw
     * {@link VirtioException} or {@link GuestMemoryException} on guest error.
     */
    void notify(int queue);

    /** Device reset (status 0 or board reset): back to the state after construction, except host-side wiring. */
    void reset();

    /** The device's own snapshot state (its queues are in the transport's); a plain, validated record. */
    sealed interface DeviceState permits VirtioNet.State, VirtioBlk.State, VirtioRng.State {
    }

    DeviceState save();

    /** Restores a {@link #save()}d state; throws {@link IllegalArgumentException}, changing nothing, if it does not fit. */
    void restore(DeviceState state);
}
