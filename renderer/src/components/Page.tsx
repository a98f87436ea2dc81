import type { ReactNode } from 'react';

/** A screen's frame: its heading (the page's accessible name) and content. */
export function Page({ title, intro, children }: { title: string; intro?: string; children?: ReactNode }) {
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{title}</h1>
      {intro && <p className="intro">{intro}</p>}
      {children}
    </section>
  );
}
