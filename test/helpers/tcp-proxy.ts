import { connect, createServer, type AddressInfo, type Socket } from 'node:net'

/** A loopback TCP proxy spreading connections round-robin over backends (TLS passes through untouched). */
export interface TcpProxy {
  /** `https://127.0.0.1:{port}` */
  url: string
  /** Connections handed to each backend so far, by index */
  counts: number[]
  close(): Promise<void>
}

/**
 * Each new connection goes to the next backend; one that refuses the connection (a killed node) is
 * skipped for the next, as a load balancer's health check would, so clients never see the dead node.
 */
export async function startTcpProxy(backends: Array<{ host: string; port: number }>): Promise<TcpProxy> {
  let next = 0
  const counts = backends.map(() => 0)
  const sockets = new Set<Socket>()
  const track = (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  }
  const pipeTo = (client: Socket, attempt: number) => {
    if (attempt >= backends.length) return client.destroy()
    const index = next++ % backends.length
    const upstream = connect(backends[index]!)
    track(upstream)
    let connected = false
    upstream.once('connect', () => {
      connected = true
      counts[index]!++
      client.pipe(upstream).pipe(client)
      client.resume()
      upstream.on('error', () => client.destroy())
      client.on('error', () => upstream.destroy())
    })
    upstream.once('error', (error: NodeJS.ErrnoException) => {
      if (!connected && error.code === 'ECONNREFUSED') pipeTo(client, attempt + 1)
      else client.destroy()
    })
  }
  const server = createServer({ pauseOnConnect: true }, (client) => {
    track(client)
    pipeTo(client, 0)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `https://127.0.0.1:${port}`,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
