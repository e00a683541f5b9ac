/* Bug zoo: kernel-side helpers of the planted bugs (built into zoo guests only). */
#include "kernel.h"
#include "zoo.h"

#if defined(ZOO_AKUMA_DEADLOCK)
static volatile int stack_lock;

void zoo_stack_lock(void)
{
	while (__atomic_exchange_n(&stack_lock, 1, __ATOMIC_ACQUIRE))
		;
}

void zoo_stack_unlock(void)
{
	__atomic_store_n(&stack_lock, 0, __ATOMIC_RELEASE);
}

u64 zoo_stack_lock_irqsave(void)
{
	u64 f = irq_save();
	zoo_stack_lock(); /* with interrupts masked nothing can preempt the spin */
	return f;
}

void zoo_stack_unlock_irqrestore(u64 f)
{
	zoo_stack_unlock();
	irq_restore(f);
}
#endif

#if defined(ZOO_AKUMA_TORN_STATE)
static volatile int borrowed;

void zoo_borrow_mut(void)
{
	if (borrowed)
		panic("already borrowed: BorrowMutError");
	borrowed = 1;
}

void zoo_release(void)
{
	borrowed = 0;
}
#endif
