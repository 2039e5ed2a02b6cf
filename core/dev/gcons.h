/* A guest's console output on the hypervisor console, one line at a time,
 * prefixed with the guest's name: "[hello] text". Both the emulated COM1
 * and the console-write hypercall end here. Finished lines wait in the
 * guest's own ring (GCONS_RING bytes); gcons_drain, at the end of that
 * guest's slice and in its time, hands whole lines (never interleaved) to
 * the console's ring while it has room, which the serial line empties at
 * its own pace (core/console/console.h): no exit waits for the device, except one
 * line when both rings are full. */
#ifndef CORE_GCONS_H
#define CORE_GCONS_H

#include "core/vm/vcpu.h"

#define GCONS_LINE 120
#define GCONS_RING 8192            /* finished lines waiting */
#define GCONS_DRAIN 1              /* bytes handed to the console at once: one line, however short */

/* A guest's console (struct guest's cons), touched only in its own exits
 * and slices and when it stops. */
struct gcons {
	u32 len;                   /* the line being assembled */
	char line[GCONS_LINE + 1]; /* and room for its '\n' */
	char *ring;                /* GCONS_RING bytes of finished lines, '\n'-terminated */
	u32 head, used;            /* the oldest byte, bytes waiting */
	const char *src;           /* an accepted console_write's bytes not yet taken, */
	u32 todo;                  /* ... and how many: taken in the guest's slices (core/guest/run.c) */
};

/* Allocates g->cons; 0, or -1 when there is no memory. */
int gcons_create(struct guest *g);

/* Forgets an accepted write not yet taken (the guest's RAM is being wiped). */
void gcons_cancel(struct guest *g);

/* One byte of output. A finished line that finds the ring full first
 * drains it (see above). */
void gcons_putc(struct guest *g, char c);

/* Whether len more bytes of output fit in g's ring; false after a drain
 * when they do not (the caller retries in a later slice). */
bool gcons_room(struct guest *g, u64 len);

/* An accepted write of len bytes at src (host address of guest memory,
 * room already checked): taken GCONS_STEP bytes per gcons_write_step, in
 * the writer's slices, before it runs again, so no exit copies more than
 * GCONS_STEP bytes. gcons_flush takes the rest at once. */
#define GCONS_STEP 128
void gcons_write(struct guest *g, const char *src, u32 len);
bool gcons_write_step(struct guest *g);   /* true when all is taken */

/* Hands up to GCONS_DRAIN bytes of g's finished lines to the console, as
 * many whole lines as its ring has room for, without waiting; the bytes
 * handed over, framing included. */
u32 gcons_drain(struct guest *g);

/* Ends the line being written and prints everything waiting: at a stop,
 * a reboot, a power-off, before the hypervisor says anything of g. */
void gcons_flush(struct guest *g);

/* Console input: bytes typed on the hypervisor's console go to the COM1 of
 * the guest set here (NULL: nowhere), up to 256 held back while its FIFO
 * is full (more are dropped). gcons_input, on the boot CPU, reads what was
 * typed and returns true, leaving the rest, when it meets the byte `key`
 * (the debug console's); gcons_feed moves held bytes into g's FIFO, on
 * the CPU g runs on (its run loop calls it before each of g's slices), so
 * that only that CPU touches g's devices. */
extern struct guest *gcons_input_guest;
void gcons_set_input(struct guest *g);
bool gcons_input(int key);
void gcons_feed(struct guest *g);

#endif
