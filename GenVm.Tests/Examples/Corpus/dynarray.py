# { "Depends": "py-genlayer:test" }

# Corpus (python-sdk.md §17.7): DynArray growth over many appends, element-wise delete, pop and the insert quirk.
from genlayer import *


class Arrays(gl.Contract):
    nums: DynArray[u32]
    words: DynArray[str]

    def __init__(self):
        pass

    @gl.public.write
    def grow(self, n: int) -> None:
        for i in range(n):
            self.nums.append(i * 3)
            self.words.append('w' + str(i))
        print(len(self.nums), len(self.words), self.nums[-1], self.words[-1], sum(self.nums))

    @gl.public.write
    def edit(self) -> None:
        del self.nums[0]
        print(self.nums.pop(), len(self.nums))
        self.nums.insert(0, 7)
        try:
            self.nums.insert(len(self.nums), 9)
        except IndexError:
            print('insert at len: IndexError')
        self.words[1] = 'changed'
        del self.words[2:4]
        print(self.nums[0:4], self.words[0:4], len(self.words))
        try:
            self.nums[len(self.nums)]
        except IndexError:
            print('past the end: IndexError')

    @gl.public.view
    def show(self) -> None:
        print(repr(self.nums[0:5]), len(self.nums), self.words[-1])
