namespace GenVm.Tests.Host;

/// <summary>The C programs <see cref="WasmVerbCProgramTests"/> builds and runs under both genvm and node.</summary>
internal static class WasmVerbCPrograms
{
    public const string PrintfFloats = """
        #include <math.h>
        #include <stdio.h>
        #include <stdlib.h>

        int main(void) {
            double values[] = {0.0, -0.0, 1.0 / 3.0, 2.5, 1e300, 1e-300, 123456789.125, -42.75, 3.14159265358979, 5e-324};
            for (unsigned i = 0; i < sizeof values / sizeof *values; i++) {
                double v = values[i];
                printf("%f %e %g %.17g %a\n", v, v, v, v, v);
            }
            printf("%.3f %.10f %.10f\n", sqrt(2.0), exp(1.0), log(10.0));
            printf("%g %g %g %g\n", sin(1.0), cos(1.0), atan2(1.0, 2.0), pow(2.0, 0.5));
            printf("%f %f %g\n", (double)strtof("2.71828", NULL), strtod("-1e-5", NULL), strtod("0x1.8p3", NULL));
            float f = 0.1f;
            double acc = 0;
            for (int i = 0; i < 1000; i++) acc += f * i;
            printf("%.9g %.9g\n", acc, (double)(f * 3.0f));
            printf("%8.2f|%-8.2f|%+.1e|%08.3f\n", 3.14159, 2.71828, 12345.678, -1.5);
            printf("%f %f %f\n", INFINITY, -INFINITY, fabs(NAN));
            printf("%d %ld %lld %u %x\n", (int)floor(-2.5), lround(2.5), llrint(1e15), (unsigned)ceil(7.01), (unsigned)trunc(255.9));
            return 0;
        }
        """;

    public const string MallocHeavy = """
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>

        typedef struct node { struct node *next; size_t size; unsigned char data[]; } node;

        int main(void) {
            node *head = NULL;
            unsigned long sum = 0;
            unsigned seed = 12345;
            for (int i = 0; i < 20000; i++) {
                seed = seed * 1103515245u + 12345u;
                size_t size = (seed >> 16) % 2000 + 1;
                node *n = malloc(sizeof(node) + size);
                if (!n) { puts("out of memory"); return 1; }
                n->size = size;
                memset(n->data, i & 0xff, size);
                n->next = head;
                head = n;
                if (i % 3 == 0) {
                    node *victim = head;
                    head = head->next;
                    sum += victim->data[victim->size - 1];
                    free(victim);
                }
            }
            size_t count = 0, total = 0;
            while (head) {
                node *next = head->next;
                count++;
                total += head->size;
                sum += head->data[0];
                free(head);
                head = next;
            }
            char *buf = NULL;
            size_t len = 0;
            for (int i = 0; i < 5000; i++) {
                buf = realloc(buf, len + 17);
                len += (size_t)sprintf(buf + len, "%d,", i);
            }
            char *big = calloc(1 << 20, 4);
            unsigned long zeros = 0;
            for (size_t i = 0; i < (4u << 20); i += 4096) zeros += big[i] == 0;
            printf("count=%zu total=%zu sum=%lu len=%zu tail=%s zeros=%lu\n", count, total, sum, len, buf + len - 10, zeros);
            free(buf);
            free(big);
            return 0;
        }
        """;

    public const string FileRead = """
        #include <dirent.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include <sys/stat.h>

        static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

        int main(void) {
            FILE *f = fopen("/data/input.txt", "r");
            if (!f) { perror("fopen"); return 2; }
            char line[256];
            int lines = 0;
            size_t chars = 0;
            while (fgets(line, sizeof line, f)) {
                lines++;
                chars += strlen(line);
                printf("%d: %s", lines, line);
            }
            fclose(f);
            struct stat st;
            if (stat("/data/input.txt", &st) == 0) printf("size=%lld regular=%d\n", (long long)st.st_size, S_ISREG(st.st_mode));
            if (stat("/data/more", &st) == 0) printf("more is dir=%d\n", S_ISDIR(st.st_mode));
            DIR *d = opendir("/data");
            if (!d) { perror("opendir"); return 3; }
            char *names[64];
            int n = 0;
            struct dirent *e;
            while ((e = readdir(d)) && n < 64)
                if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) names[n++] = strdup(e->d_name);
            closedir(d);
            qsort(names, (size_t)n, sizeof *names, by_name);
            for (int i = 0; i < n; i++) printf("entry %s\n", names[i]);
            FILE *g = fopen("/data/missing.txt", "r");
            printf("missing: %s\n", g ? "found" : "not found");
            FILE *h = fopen("/data/more/b.bin", "rb");
            if (!h) { perror("fopen b.bin"); return 4; }
            fseek(h, 0, SEEK_END);
            long size = ftell(h);
            fseek(h, 2, SEEK_SET);
            int third = fgetc(h);
            unsigned char block[4096];
            fseek(h, 0, SEEK_SET);
            size_t got = fread(block, 1, sizeof block, h);
            unsigned long checksum = 0;
            for (size_t i = 0; i < got; i++) checksum = checksum * 31 + block[i];
            fclose(h);
            printf("b.bin size=%ld third=%d got=%zu checksum=%lu\n", size, third, got, checksum);
            printf("lines=%d chars=%zu\n", lines, chars);
            return 0;
        }
        """;

    public const string QsortCallbacks = """
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>

        typedef struct { char name[12]; int age; double score; } person;

        static int by_age(const void *a, const void *b) {
            const person *x = a, *y = b;
            if (x->age != y->age) return x->age < y->age ? -1 : 1;
            return strcmp(x->name, y->name);
        }
        static int by_name(const void *a, const void *b) { return strcmp(((const person *)a)->name, ((const person *)b)->name); }
        static int by_score_desc(const void *a, const void *b) {
            double d = ((const person *)b)->score - ((const person *)a)->score;
            return d < 0 ? -1 : d > 0 ? 1 : by_name(a, b);
        }
        static int cmp_int(const void *a, const void *b) { int x = *(const int *)a, y = *(const int *)b; return (x > y) - (x < y); }

        int main(void) {
            static person people[3000];
            unsigned seed = 7;
            for (int i = 0; i < 3000; i++) {
                seed = seed * 1664525u + 1013904223u;
                snprintf(people[i].name, sizeof people[i].name, "p%05u", (seed >> 8) % 100000);
                people[i].age = (int)((seed >> 3) % 90);
                people[i].score = (double)((seed >> 12) % 10000) / 7.0;
            }
            int (*orders[])(const void *, const void *) = {by_age, by_name, by_score_desc};
            const char *labels[] = {"age", "name", "score"};
            for (int k = 0; k < 3; k++) {
                qsort(people, 3000, sizeof(person), orders[k]);
                unsigned long h = 0;
                for (int i = 0; i < 3000; i++) h = h * 131 + (unsigned char)people[i].name[3] + (unsigned)people[i].age;
                printf("%s: first=%s/%d/%.3f last=%s/%d/%.3f hash=%lu\n", labels[k], people[0].name, people[0].age, people[0].score,
                       people[2999].name, people[2999].age, people[2999].score, h);
            }
            int numbers[10000];
            for (int i = 0; i < 10000; i++) { seed = seed * 1664525u + 1013904223u; numbers[i] = (int)(seed >> 1) - (1 << 30); }
            qsort(numbers, 10000, sizeof(int), cmp_int);
            int key = numbers[4321];
            int *found = bsearch(&key, numbers, 10000, sizeof(int), cmp_int);
            printf("min=%d max=%d found_at=%ld\n", numbers[0], numbers[9999], found ? (long)(found - numbers) : -1L);
            return 0;
        }
        """;

    public const string DeepRecursion = """
        #include <stdio.h>

        static volatile unsigned probe = 1;

        __attribute__((noinline)) static unsigned long depth_sum(unsigned n) {
            if (n == 0) return probe;
            unsigned long r = depth_sum(n - 1) + n;
            probe ^= n;  /* work after the call: no tail-call or accumulator rewrite */
            return r;
        }

        __attribute__((noinline)) static unsigned long ackermann(unsigned long m, unsigned long n) {
            if (m == 0) return n + 1;
            if (n == 0) return ackermann(m - 1, 1);
            return ackermann(m - 1, ackermann(m, n - 1));
        }

        __attribute__((noinline)) static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

        static int is_even(unsigned n);
        __attribute__((noinline)) static int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }
        __attribute__((noinline)) static int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }

        int main(void) {
            printf("depth_sum(900)=%lu probe=%u\n", depth_sum(900), probe);
            printf("ackermann(2,200)=%lu\n", ackermann(2, 200));
            printf("fib(24)=%d\n", fib(24));
            printf("is_even(800)=%d\n", is_even(800));
            return 0;
        }
        """;

    public const string ArgsEnvExit = """
        #include <stdio.h>
        #include <stdlib.h>

        int main(int argc, char **argv) {
            printf("argc=%d\n", argc);
            for (int i = 1; i < argc; i++) printf("arg[%d]=%s\n", i, argv[i]);
            const char *greeting = getenv("GREETING");
            printf("GREETING=%s MISSING=%s\n", greeting ? greeting : "(null)", getenv("MISSING") ? "set" : "(null)");
            fprintf(stderr, "to stderr\n");
            exit(argc + 40);
        }
        """;

    public const string AbortTrap = """
        #include <stdio.h>
        #include <stdlib.h>

        __attribute__((noinline)) void deeper(int x) { if (x > 2) abort(); printf("x=%d\n", x); }
        __attribute__((noinline)) void outer(int x) { deeper(x + 1); deeper(x + 2); }

        int main(int argc, char **argv) {
            (void)argv;
            printf("before\n");
            outer(argc);
            return 0;
        }
        """;
}
