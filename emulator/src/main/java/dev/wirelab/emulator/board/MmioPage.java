package dev.wirelab.emulator.board;

import dev.wirelab.emulator.device.GuestLog;
import dev.wirelab.emulator.device.MmioDevice;
import dev.wirelab.emulator.unicorn.Callbacks;

import java.util.ArrayList;
import java.util.List;

/**
 * One 4 KiB MMIO window shared by devices smaller than a page (virtio-mmio
 * slots are 0x200 apart; Unicorn maps MMIO only in whole pages). Routes each
 * access to the device whose range holds it; a hole reads 0 and is logged.
 */
final class MmioPage implements Callbacks.Mmio {
    static final long SIZE = 0x1000;

    private final long base;
    private final GuestLog log;
    private final List<MmioDevice> devices = new ArrayList<>();

    MmioPage(long base, GuestLog log) {
        this.base = base;
        this.log = log;
    }

    void add(MmioDevice d) {
        for (MmioDevice o : devices) {
            if (d.base() < o.base() + o.size() && o.base() < d.base() + d.size()) {
                throw new IllegalArgumentException(d.name() + " overlaps " + o.name());
            }
        }
        devices.add(d);
    }

    private MmioDevice at(long address) {
        for (MmioDevice d : devices) {
            if (address >= d.base() && address < d.base() + d.size()) {
                return d;
            }
        }
        return null;
    }

    @Override
    public long read(long offset, int size) {
        MmioDevice d = at(base + offset);
        if (d == null) {
            log.error("mmio", String.format("read of %d bytes at 0x%x: no device there", size, base + offset));
            return 0;
        }
        return d.read(base + offset - d.base(), size);
    }

    @Override
    public void write(long offset, int size, long value) {
        MmioDevice d = at(base + offset);
        if (d == null) {
            log.error("mmio", String.format("write of %d bytes at 0x%x: no device there", size, base + offset));
            return;
        }
        d.write(base + offset - d.base(), size, value);
    }
}
