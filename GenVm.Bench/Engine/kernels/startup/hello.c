// Start-up baseline for `GenVm.Bench engine`: no work, one line of output. Its process time is the fixed cost
// (runtime start, module compile, WASI set-up) that every kernel's whole-process time includes.
#include <stdio.h>

int main(void) {
    puts("hello");
    return 0;
}
