package dev.wirelab.emulator.device.virtio;

/** What a transport gives its {@link VirtioDevice}: memory, queues, features, interrupts, the error state. */
public interface VirtioContext {
    GuestMemory memory();

    Virtqueue queue(int index);

    /** Negotiated features (valid once the driver set FEATURES_OK, or DRIVER_OK for legacy drivers). */
    long features();

    /** DRIVER_OK is set and the device is not in DEVICE_NEEDS_RESET or FAILED: queues may be used. */
    boolean live();

    /** Used buffers were added to {@code queue}: interrupt the driver if it asked for it. */
    void usedBuffers(Virtqueue queue);

    /** The configuration space changed: bump ConfigGeneration, interrupt the driver if it is live. */
    void configChanged();

    /** A guest error (logged, tolerated). */
    void log(String message);

    /** A fatal guest error: log it, set DEVICE_NEEDS_RESET, raise a configuration-change interrupt. */
    void fail(String message);
}
