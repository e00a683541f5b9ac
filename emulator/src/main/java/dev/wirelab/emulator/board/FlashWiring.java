package dev.wirelab.emulator.board;

import dev.wirelab.emulator.device.CfiFlash;
import dev.wirelab.emulator.device.GuestLog;
import dev.wirelab.emulator.unicorn.Unicorn;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The two CFI flash banks of virt and their two faces in Unicorn (QEMU's ROM device): while a
 * bank reads as its array it is mapped as read/execute memory (firmware runs from it at full
 * speed); the guest's first write to it faults (write-protect), the bank is remapped as a
 * device window and the store is executed again, now as a flash command. When the bank returns
 * to read array it is mapped as memory again at the next slice.
 */
final class FlashWiring implements Executor.RomDevices {
    private final Unicorn uc;
    private final List<CfiFlash> banks = new ArrayList<>();
    private final List<FileChannel> files = new ArrayList<>();
    private final boolean[] mappedAsRom;
    private long faultAddress = -1;

    FlashWiring(Unicorn uc, MemorySegment flash, BoardConfig.FlashImages images, GuestLog log, CfiFlash.Listener listener) {
        this.uc = uc;
        int count = (int) (VirtMemoryMap.FLASH_SIZE / CfiFlash.BANK_SIZE);
        mappedAsRom = new boolean[count];
        try {
            for (int i = 0; i < count; i++) {
                long base = VirtMemoryMap.FLASH_BASE + i * CfiFlash.BANK_SIZE;
                MemorySegment storage = flash.asSlice(i * CfiFlash.BANK_SIZE, CfiFlash.BANK_SIZE);
                Path image = images.bank(i);
                FileChannel file = image == null ? null : open(image, i, images.writable(), storage);
                files.add(file);
                // Without an image the bank is plain memory the guest may program (QEMU -bios); an image
                // is read-only unless the user lets the guest write it.
                CfiFlash bank = new CfiFlash("pflash" + i, base, storage, image != null && !images.writable(),
                        file, log);
                bank.listener(new CfiFlash.Listener() {
                    @Override
                    public void modified(long offset, int length) {
                        listener.modified(base + offset, length);
                    }

                    @Override
                    public void romModeChanged(boolean rom) {
                        listener.romModeChanged(rom);
                    }
                });
                banks.add(bank);
                mapRom(i);
            }
            // Bounded to the flash window, not everywhere: see Executor.installUnmappedHook.
            uc.hookMemory(Unicorn.HOOK_MEM_WRITE_PROT, (type, address, size, value) -> {
                faultAddress = address;
                return false; // the store is not done: the executor replays it once the bank is a device
            }, VirtMemoryMap.FLASH_BASE, VirtMemoryMap.FLASH_BASE + VirtMemoryMap.FLASH_SIZE - 1);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private static FileChannel open(Path image, int bank, boolean writable, MemorySegment storage) {
        String flag = "--flash" + bank;
        try {
            long size = Files.size(image);
            if (size > CfiFlash.BANK_SIZE) {
                throw new IllegalArgumentException(flag + " " + image + " is " + size + " bytes; a flash bank holds "
                        + CfiFlash.BANK_SIZE + " (64M)");
            }
            if (writable && size != CfiFlash.BANK_SIZE) {
                throw new IllegalArgumentException(flag + " " + image + " is " + size + " bytes; a writable flash image"
                        + " must be exactly 64M, as QEMU requires (truncate -s 64M " + image + ")");
            }
            FileChannel ch = writable
                    ? FileChannel.open(image, StandardOpenOption.READ, StandardOpenOption.WRITE)
                    : FileChannel.open(image, StandardOpenOption.READ);
            byte[] data = Files.readAllBytes(image);
            MemorySegment.copy(data, 0, storage, ValueLayout.JAVA_BYTE, 0, data.length);
            if (!writable) {
                ch.close();
                return null;
            }
            return ch;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot open flash image " + flag + " " + image + ": " + e.getMessage()
                    + " (give a readable raw image file)");
        }
    }

    List<CfiFlash> banks() {
        return List.copyOf(banks);
    }

    private void mapRom(int i) {
        CfiFlash bank = banks.get(i);
        uc.mapHostMemory(bank.base(), bank.storage(), Unicorn.PROT_READ | Unicorn.PROT_EXEC);
        mappedAsRom[i] = true;
    }

    private void mapIo(int i) {
        CfiFlash bank = banks.get(i);
        uc.mapMmio(bank.base(), bank.size(), Board.window(bank));
        mappedAsRom[i] = false;
    }

    /** A write-protect fault in flash: the bank becomes a device and the store runs again. */
    @Override
    public boolean writeFault() {
        long address = faultAddress;
        faultAddress = -1;
        for (int i = 0; i < banks.size(); i++) {
            CfiFlash bank = banks.get(i);
            if (address >= bank.base() && address < bank.base() + bank.size() && mappedAsRom[i]) {
                bank.leaveRomMode();
                settle();
                return true;
            }
        }
        return false;
    }

    /** Between slices: every bank mapped as its mode wants (translated code from a remapped bank is dropped). */
    @Override
    public void settle() {
        boolean changed = false;
        for (int i = 0; i < banks.size(); i++) {
            boolean rom = banks.get(i).romMode();
            if (rom != mappedAsRom[i]) {
                CfiFlash bank = banks.get(i);
                uc.unmapMemory(bank.base(), bank.size());
                if (rom) {
                    mapRom(i);
                } else {
                    mapIo(i);
                }
                changed = true;
            }
        }
        if (changed) {
            uc.flushTranslations();
            uc.flushTlb();
        }
    }

    record State(List<CfiFlash.State> banks) { }

    State save() {
        return new State(banks.stream().map(CfiFlash::save).toList());
    }

    void restore(State s) {
        boolean rewritten = false;
        for (int i = 0; i < banks.size(); i++) {
            rewritten |= banks.get(i).restore(s.banks().get(i));
        }
        settle();
        if (rewritten) {
            uc.flushTranslations();
        }
    }

    void close() {
        for (FileChannel f : files) {
            if (f != null) {
                try {
                    f.force(false);
                    f.close();
                } catch (IOException e) {
                    // nothing more to save: the last write-through already reported its failure
                }
            }
        }
    }
}
