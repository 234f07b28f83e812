# A line-by-line Python port of llama.cpp's reference TQ quantizers and dequantizers
# (ggml/src/ggml-quants.c: quantize_row_tq1_0_ref, quantize_row_tq2_0_ref, dequantize_row_tq1_0,
# dequantize_row_tq2_0; block structs in ggml/src/ggml-common.h), in float32 arithmetic as the C code
# does. It made the golden block bytes in test/quick/tensors.test.ts: run `python3 tq_ref.py`.
import math
import numpy as np

QK_K = 256
f32 = np.float32

def lroundf(v):  # C lroundf: half away from zero, on the exact float32 value
    v = float(v)
    return int(math.copysign(math.floor(abs(v) + 0.5), v))

def fp16_bytes(d):  # GGML_FP32_TO_FP16: round to nearest even; little-endian
    return np.array([d], dtype='<f2').tobytes()

def amax_of(x):
    amax = f32(0)
    for v in x:
        amax = max(amax, abs(f32(v)))
    return amax

def quantize_tq2_0(x):
    x = [f32(v) for v in x]
    d = amax_of(x)
    iD = f32(1) / d if d else f32(0)
    qs = bytearray(64)
    for j in range(0, 64, 32):
        for m in range(32):
            q = 0
            for n in range(4):
                xi = lroundf(x[m + n * 32] * iD) + 1
                q += (xi & 3) << (2 * n)
            qs[j + m] = q
        x = x[4 * 32:]
    return bytes(qs) + fp16_bytes(d)

def quantize_tq1_0(x):
    x = [f32(v) for v in x]
    d = amax_of(x)
    iD = f32(1) / d if d else f32(0)
    qs = bytearray(48)
    qh = bytearray(4)
    for j in range(0, 32, 32):  # sizeof(qs) - sizeof(qs) % 32 = 32
        for m in range(32):
            q = 0
            for n in range(5):
                q = (q * 3 + lroundf(x[m + n * 32] * iD) + 1) & 0xff
            qs[j + m] = ((q * 256 + 242) // 243) & 0xff
        x = x[5 * 32:]
    for j in range(32, 48, 16):
        for m in range(16):
            q = 0
            for n in range(5):
                q = (q * 3 + lroundf(x[m + n * 16] * iD) + 1) & 0xff
            qs[j + m] = ((q * 256 + 242) // 243) & 0xff
        x = x[5 * 16:]
    for j in range(4):
        q = 0
        for m in range(4):
            q = (q * 3 + lroundf(x[j + m * 4] * iD) + 1) & 0xff
        q = (q * 3) & 0xff
        qh[j] = ((q * 256 + 242) // 243) & 0xff
    return bytes(qs) + bytes(qh) + fp16_bytes(d)

def dequantize_tq2_0(b):
    d = f32(np.frombuffer(b[64:66], dtype='<f2')[0])
    y = []
    for j in range(0, 64, 32):
        for l in range(4):
            for m in range(32):
                y.append(f32((b[j + m] >> (l * 2)) & 3) - 1)
    return [f32(v) * d for v in y], d

def dequantize_tq1_0(b):
    pow3 = [1, 3, 9, 27, 81, 243]
    d = f32(np.frombuffer(b[52:54], dtype='<f2')[0])
    y = []
    for n in range(5):
        for m in range(32):
            y.append((((b[m] * pow3[n]) & 0xff) * 3 >> 8) - 1)
    for n in range(5):
        for m in range(16):
            y.append((((b[32 + m] * pow3[n]) & 0xff) * 3 >> 8) - 1)
    for n in range(4):
        for j in range(4):
            y.append((((b[48 + j] * pow3[n]) & 0xff) * 3 >> 8) - 1)
    return [f32(v) * d for v in y], d

# The inputs (also built in the test): ties at exactly +-0.5 after scaling for TQ2_0 (amax 2, 1/2 exact).
P2 = [-2, -1, -0.5, 0, 0.5, 1, 2, 1.5, -1.5, 0.8, -0.3]
x2 = [P2[(j * 7) % 11] for j in range(QK_K)]
P1 = [-2, -1, -0.5, 0, 0.5, 1, 2, 1.5, -1.5, 0.8, -0.3, 0.2, -1.2]
x1 = [f32(0.15) * f32(P1[(j * 5) % 13]) for j in range(QK_K)]

def trit_string(y, d):
    return ''.join('-0+'[int(v / d) + 1] for v in y)

for name, x, quant, deq in (('TQ2_0', x2, quantize_tq2_0, dequantize_tq2_0), ('TQ1_0', x1, quantize_tq1_0, dequantize_tq1_0)):
    b = quant(x)
    y, d = deq(b)
    print(name, 'bytes', b.hex())
    print(name, 'd', repr(float(d)))
    print(name, 'trits', trit_string(y, d))
