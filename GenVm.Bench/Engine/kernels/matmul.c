// Integer (uint32, wrapping) matrix multiply C = A * B, repeated with A perturbed by the previous result.

#ifndef REPS
#define REPS 600 // sized so that one run takes ~1-1.5 s of CPU under node --no-liftoff on an idle core
#endif
#include <stdint.h>
#include <stdio.h>

#define N 160
static uint32_t A[N][N], B[N][N], C[N][N];

static void multiply(void) {
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) C[i][j] = 0;
        for (int k = 0; k < N; k++) {
            uint32_t a = A[i][k];
            for (int j = 0; j < N; j++) C[i][j] += a * B[k][j];
        }
    }
}

int main(void) {
    uint32_t x = 7;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            x = x * 1664525u + 1013904223u; A[i][j] = x >> 8;
            x = x * 1664525u + 1013904223u; B[i][j] = x >> 8;
        }
    uint64_t checksum = 0;
    for (int r = 0; r < REPS; r++) {
        multiply();
        for (int i = 0; i < N; i++) {
            checksum = checksum * 31 + C[i][(i * 7 + r) % N];
            A[i][r % N] ^= C[(i + r) % N][i];
        }
    }
    printf("matmul n=%d reps=%d checksum=%llu\n", N, REPS, (unsigned long long)checksum);
    return 0;
}
