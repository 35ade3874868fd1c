// A malloc-heavy chained hash map: string keys and nodes are malloc'd, the table is realloc'd as it grows,
// and each round inserts, looks up and deletes, so dlmalloc's free lists are exercised hard.

#ifndef ROUNDS
#define ROUNDS 110 // sized so that one run takes ~1-1.5 s of CPU under node --no-liftoff on an idle core
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Node { struct Node *next; char *key; uint64_t value; uint32_t hash; } Node;
typedef struct { Node **slots; size_t capacity, count; } Map;

static uint32_t fnv1a(const char *s) {
    uint32_t h = 2166136261u;
    while (*s) { h ^= (uint8_t)*s++; h *= 16777619u; }
    return h;
}

static void grow(Map *m) {
    size_t capacity = m->capacity ? m->capacity * 2 : 16;
    Node **slots = calloc(capacity, sizeof *slots);
    for (size_t i = 0; i < m->capacity; i++)
        for (Node *n = m->slots[i], *next; n; n = next) {
            next = n->next;
            n->next = slots[n->hash & (capacity - 1)];
            slots[n->hash & (capacity - 1)] = n;
        }
    free(m->slots);
    m->slots = slots;
    m->capacity = capacity;
}

static void put(Map *m, const char *key, uint64_t value) {
    uint32_t h = fnv1a(key);
    if (m->capacity)
        for (Node *n = m->slots[h & (m->capacity - 1)]; n; n = n->next)
            if (n->hash == h && strcmp(n->key, key) == 0) { n->value += value; return; }
    if (m->count + 1 > m->capacity * 3 / 4) grow(m);
    Node *n = malloc(sizeof *n);
    n->key = strdup(key);
    n->value = value;
    n->hash = h;
    n->next = m->slots[h & (m->capacity - 1)];
    m->slots[h & (m->capacity - 1)] = n;
    m->count++;
}

static Node *get(Map *m, const char *key) {
    uint32_t h = fnv1a(key);
    for (Node *n = m->slots[h & (m->capacity - 1)]; n; n = n->next)
        if (n->hash == h && strcmp(n->key, key) == 0) return n;
    return NULL;
}

static int erase(Map *m, const char *key) {
    uint32_t h = fnv1a(key);
    for (Node **p = &m->slots[h & (m->capacity - 1)]; *p; p = &(*p)->next)
        if ((*p)->hash == h && strcmp((*p)->key, key) == 0) {
            Node *n = *p;
            *p = n->next;
            free(n->key);
            free(n);
            m->count--;
            return 1;
        }
    return 0;
}

static void clear(Map *m) {
    for (size_t i = 0; i < m->capacity; i++)
        for (Node *n = m->slots[i], *next; n; n = next) { next = n->next; free(n->key); free(n); }
    free(m->slots);
    m->slots = NULL; m->capacity = m->count = 0;
}

int main(void) {
    uint64_t checksum = 0;
    char key[48];
    for (int round = 0; round < ROUNDS; round++) {
        Map m = {0};
        uint32_t x = 1234567u + (uint32_t)round;
        for (int i = 0; i < 20000; i++) {
            x = x * 1103515245u + 12345u;
            // Key lengths vary (8..40 characters) so allocations come in many size classes.
            int len = snprintf(key, sizeof key, "k%u-%.*s", x % 30011u, (int)(x >> 27), "abcdefghijklmnopqrstuvwxyzabcdef");
            put(&m, key, (uint64_t)len + i);
        }
        for (uint32_t i = 0; i < 30011u; i += 3) {
            snprintf(key, sizeof key, "k%u-", i);
            Node *n = get(&m, key);
            if (n) checksum += n->value;
        }
        x = 1234567u + (uint32_t)round;
        for (int i = 0; i < 20000; i += 2) {
            x = x * 1103515245u + 12345u;
            snprintf(key, sizeof key, "k%u-%.*s", x % 30011u, (int)(x >> 27), "abcdefghijklmnopqrstuvwxyzabcdef");
            checksum += (uint64_t)erase(&m, key);
            x = x * 1103515245u + 12345u;
        }
        checksum = checksum * 1000003u + m.count;
        clear(&m);
    }
    printf("hashmap rounds=%d checksum=%llu\n", ROUNDS, (unsigned long long)checksum);
    return 0;
}
