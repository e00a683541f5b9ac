package dev.wirelab.emulator.device.virtio;

/** Constants shared by the transport and the devices (VIRTIO 1.2 sections 2.1, 2.2, 6). */
public final class Virtio {
    private Virtio() {
    }

    // Device status field (2.1).
    public static final int STATUS_ACKNOWLEDGE = 1;
    public static final int STATUS_DRIVER = 2;
    public static final int STATUS_DRIVER_OK = 4;
    public static final int STATUS_FEATURES_OK = 8;
    public static final int STATUS_DEVICE_NEEDS_RESET = 0x40;
    public static final int STATUS_FAILED = 0x80;
    static final int STATUS_KNOWN = STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_DRIVER_OK | STATUS_FEATURES_OK
            | STATUS_DEVICE_NEEDS_RESET | STATUS_FAILED;

    // Reserved (transport) feature bits (6).
    public static final int F_RING_INDIRECT_DESC = 28;
    public static final int F_RING_EVENT_IDX = 29;
    public static final int F_VERSION_1 = 32;

    // InterruptStatus bits (4.2.2).
    public static final int INT_USED_BUFFER = 1;
    public static final int INT_CONFIG_CHANGE = 2;

    // Device IDs (5).
    public static final int ID_NET = 1;
    public static final int ID_BLOCK = 2;
    public static final int ID_ENTROPY = 4;

    public static long bit(int feature) {
        return 1L << feature;
    }

    public static boolean has(long features, int feature) {
        return (features & bit(feature)) != 0;
    }
}
