#!/usr/bin/env python3
"""reference.py -- lesson 13: the same leapfrog as wave.cpp, serial, in numpy.

An independent check of wave.cpp (same scheme, written a second time with
whole-array numpy operations) and the Python baseline of the benchmark:
`make bench` times this file with wave's default run next to wave.  Same
defaults as wave: 200 x 120 nodes,
40 km x 24 km, c = 2500 m/s, dt = 0.002 s, 1100 steps, Ricker source of
f0 = 1.5 Hz at the centre, sponge of 20 nodes and 6 1/s, receivers 1, 2, 3 km
east of the source.  Prints `name = value` lines like wave.

    python3 reference.py --nx 61 --ny 41 --steps 300
"""
import argparse
import math
import sys
import time

import numpy as np

p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument("--nx", type=int, default=200)
p.add_argument("--ny", type=int, default=120)
p.add_argument("--lx", type=float, default=40000.0)
p.add_argument("--ly", type=float, default=24000.0)
p.add_argument("--c", type=float, default=2500.0)
p.add_argument("--dt", type=float, default=0.002)
p.add_argument("--steps", type=int, default=1100)
p.add_argument("--absorb-width", type=int, default=20)
p.add_argument("--absorb-strength", type=float, default=6.0)
p.add_argument("--f0", type=float, default=1.5)
p.add_argument("--radius", type=float, default=400.0)
a = p.parse_args()
if a.nx < 5 or a.ny < 5 or a.steps < 0:
    sys.exit("error: need nx, ny >= 5 and steps >= 0")

nx, ny, dt = a.nx, a.ny, a.dt
hx, hy = a.lx / (nx - 1), a.ly / (ny - 1)
cx, cy = (a.c * dt / hx) ** 2, (a.c * dt / hy) ** 2
if a.c * dt * math.sqrt(1 / hx**2 + 1 / hy**2) > 1:
    sys.exit("error: unstable time step")
t0 = 1.2 / a.f0
sx, sy = 0.5 * (nx - 1), 0.5 * (ny - 1)  # the centre, in node units

# Arrays indexed [j, i]; the inner nodes are [1:-1, 1:-1].
J, I = np.mgrid[0:ny, 0:nx]
d = np.minimum(np.minimum(I, nx - 1 - I), np.minimum(J, ny - 1 - J))
r = np.where(d < a.absorb_width, (a.absorb_width - d) / max(a.absorb_width, 1), 0.0)
h = (0.5 * (a.absorb_strength * r * r) * dt)[1:-1, 1:-1]
am, bp = 1.0 - h, 1.0 + h
# The source's Gaussian on its box of 4 radii (as wave.cpp), 0 elsewhere.
kx, ky = 4 * a.radius / hx, 4 * a.radius / hy
box = ((I >= max(1, math.ceil(sx - kx))) & (I <= min(nx - 2, math.floor(sx + kx)))
       & (J >= max(1, math.ceil(sy - ky))) & (J <= min(ny - 2, math.floor(sy + ky))))
dx, dy = (I - sx) * hx, (J - sy) * hy
g = np.where(box, np.exp(-(dx * dx + dy * dy) / a.radius**2), 0.0)[1:-1, 1:-1]


def ricker(t):
    if t < 0 or t > 2 * t0:
        return 0.0
    q = (math.pi * a.f0 * (t - t0)) ** 2
    return (1 - 2 * q) * math.exp(-q)


xs, ys = 0.5 * a.lx, 0.5 * a.ly
rec = [(round((xs + 1000.0 * (k + 1)) / hx), round(ys / hy)) for k in range(3)]
trace = np.zeros((3, a.steps + 1))

u = np.zeros((ny, nx))
old = np.zeros((ny, nx))
start = time.perf_counter()
for n in range(a.steps):
    C = u[1:-1, 1:-1]
    lap = cx * ((u[1:-1, :-2] + u[1:-1, 2:]) - 2.0 * C) + cy * ((u[:-2, 1:-1] + u[2:, 1:-1]) - 2.0 * C)
    new = np.zeros_like(u)
    new[1:-1, 1:-1] = (2.0 * C - am * old[1:-1, 1:-1] + lap) / bp
    st = ricker(n * dt)
    if st != 0.0:
        new[1:-1, 1:-1] += dt * dt * 1.0 * st * g / bp
    old, u = u, new
    for k, (i, j) in enumerate(rec):
        trace[k, n + 1] = u[j, i]
elapsed = time.perf_counter() - start

print(f"reference: numpy leapfrog, {nx} x {ny} nodes, {a.steps} steps")
for k in range(3):
    print(f"peak_{k} = {np.abs(trace[k]).max():.10e}")
print(f"seismogram_sum = {np.abs(trace).sum():.17g}")
print(f"u_max = {np.abs(u).max():.17g}")
print(f"time_s = {elapsed:.6f}")
print(f"cell_updates_per_s = {(nx - 2) * (ny - 2) * a.steps / elapsed:.4e}")
