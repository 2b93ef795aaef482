-- The plugin without builds: loading (twice), commands, filetype detection, workspace roots,
-- one client per root, settings reaching the server, and the progress/log/message handlers.
local H = require('helpers')
local w = H.workdir

H.run('plugin loading', function()
  vim.cmd('filetype on')
  vim.cmd('runtime plugin/envbuilder.lua')
  vim.cmd('runtime plugin/envbuilder.lua') -- a second load is a no-op
  H.check(vim.g.loaded_envbuilder == 1, 'plugin/envbuilder.lua sets g:loaded_envbuilder')
  for _, name in ipairs({ 'EnvbuilderBuild', 'EnvbuilderPush', 'EnvbuilderCancel', 'EnvbuilderLog' }) do
    H.check(vim.fn.exists(':' .. name) == 2, ':' .. name .. ' exists before setup()')
  end
  H.check(package.loaded['envbuilder'] == nil, 'loading the plugin does not load its modules')

  -- Filetypes.
  local files = {
    [w .. '/ws/.devcontainer/devcontainer.json'] = 'jsonc',
    [w .. '/ws/.devcontainer/python/devcontainer.json'] = 'jsonc',
    [w .. '/other/.devcontainer.json'] = 'jsonc',
    [w .. '/other/Containerfile'] = 'dockerfile',
    [w .. '/other/app.Dockerfile'] = 'dockerfile',
    [w .. '/other/package.json'] = 'json',
  }
  H.write(w .. '/ws/.devcontainer/devcontainer.json', '{\n  "build": { "dockerfile": "Dockerfile" }\n}\n')
  H.write(w .. '/ws/.devcontainer/python/devcontainer.json', '{\n  "image": "python:3"\n}\n')
  H.write(w .. '/ws/.devcontainer/Dockerfile', 'FROM alpine:3.19\nRUNN make\n')
  H.write(w .. '/ws/sub/dir/Dockerfile', 'FROM alpine:3.19\n')
  H.write(w .. '/other/.devcontainer.json', '{\n  "image": "alpine:3.19"\n}\n')
  H.write(w .. '/other/Containerfile', 'FROM alpine:3.19\n')
  H.write(w .. '/other/app.Dockerfile', 'FROM alpine:3.19\n')
  H.write(w .. '/other/package.json', '{}\n')
  H.write(w .. '/plain/Dockerfile', 'FROM alpine:3.19\nRUNN make\n')
  for path, filetype in pairs(files) do
    local bufnr = vim.fn.bufadd(path)
    vim.fn.bufload(bufnr)
    vim.api.nvim_buf_call(bufnr, function()
      vim.cmd('filetype detect')
    end)
    local got = vim.api.nvim_buf_get_option(bufnr, 'filetype')
    H.check(got == filetype, 'ftdetect ' .. vim.fn.fnamemodify(path, ':s?' .. w .. '/??'),
      'filetype ' .. got .. ', expected ' .. filetype)
    vim.cmd('bwipeout! ' .. bufnr)
  end

  -- Before setup(): no server, and the commands say why they cannot build.
  local early = H.edit(w .. '/plain/Dockerfile')
  H.check(#H.attached(early, 500) == 0, 'no server before setup()')
  local since = #H.messages
  vim.cmd('EnvbuilderBuild')
  local message = H.wait_message('no envbuilder language server', 2000, since)
  H.check(message and message.level == vim.log.levels.ERROR, ':EnvbuilderBuild without a server reports an error',
    function() return H.messages_text(since) end)

  -- Workspace roots.
  local envbuilder = require('envbuilder')
  local function root_of(path)
    return (envbuilder.find_root(path))
  end
  H.check(root_of(w .. '/ws/.devcontainer/Dockerfile') == w .. '/ws', 'root of .devcontainer/Dockerfile')
  H.check(root_of(w .. '/ws/.devcontainer/python/devcontainer.json') == w .. '/ws',
    'root of .devcontainer/<name>/devcontainer.json')
  H.check(root_of(w .. '/ws/sub/dir/Dockerfile') == w .. '/ws', 'root of a nested Dockerfile')
  H.check(root_of(w .. '/other/Containerfile') == w .. '/other', 'root next to .devcontainer.json')
  H.check(root_of(w .. '/plain/Dockerfile') == w .. '/plain', 'root without a devcontainer: the directory')

  -- setup(): buffers already open are attached; settings go to the server.
  envbuilder.setup({
    cmd = { H.binary, 'lsp', '--stdio' },
    settings = { envbuilder = { lint = { severity = { UnknownInstruction = 'hint' } } } },
  })
  H.check(#H.attached(early) == 1, 'setup() attaches a Dockerfile opened before it')
  local d = H.wait_diagnostic(early, 'UnknownInstruction')
  H.check(d and d.lnum == 1 and d.severity == vim.diagnostic.severity.HINT,
    'settings reach the server (UnknownInstruction as a hint)', function() return vim.inspect(d) end)

  local a = H.edit(w .. '/ws/.devcontainer/Dockerfile')
  local b = H.edit(w .. '/ws/.devcontainer/devcontainer.json')
  local c = H.edit(w .. '/ws/sub/dir/Dockerfile')
  local e = H.edit(w .. '/other/Containerfile')
  local f = H.edit(w .. '/other/.devcontainer.json')
  local g = H.edit(w .. '/other/package.json')
  local ids = { a = H.attached(a), b = H.attached(b), c = H.attached(c), e = H.attached(e), f = H.attached(f),
    g = H.attached(g, 500), early = H.attached(early) }
  H.check(#ids.a == 1 and #ids.b == 1 and #ids.c == 1 and ids.a[1] == ids.b[1] and ids.a[1] == ids.c[1],
    'one client for the files of one workspace', function() return vim.inspect(ids) end)
  H.check(#ids.e == 1 and #ids.f == 1 and ids.e[1] == ids.f[1] and ids.e[1] ~= ids.a[1]
    and ids.e[1] ~= ids.early[1], 'another client for another root', function() return vim.inspect(ids) end)
  H.check(#ids.g == 0, 'no client for package.json')
  local client = vim.lsp.get_client_by_id(ids.a[1])
  H.check(client and client.config.root_dir == w .. '/ws', 'the client is rooted at the workspace',
    function() return client and client.config.root_dir end)
  local diag = H.wait_diagnostic(a, 'UnknownInstruction')
  H.check(diag and diag.lnum == 1, 'diagnostics for a Dockerfile in .devcontainer/')

  -- Build targets.
  local build = require('envbuilder.build')
  H.check(build.target_for(a) == w .. '/ws', 'a Dockerfile of a devcontainer workspace builds the workspace')
  H.check(build.target_for(b) == w .. '/ws/.devcontainer/devcontainer.json', 'a devcontainer.json builds itself')
  H.check(build.target_for(early) == w .. '/plain/Dockerfile', 'a lone Dockerfile builds itself')

  -- Handlers, fed directly.
  local handlers = require('envbuilder.handlers')
  local shown = {}
  envbuilder.options.progress = function(text)
    table.insert(shown, text)
  end
  local ctx = { client_id = ids.a[1], method = '$/progress' }
  handlers['$/progress'](nil, { token = 'x', value = { kind = 'begin', title = 'Building ws' } }, ctx)
  handlers['$/progress'](nil, { token = 'x', value = { kind = 'report', message = 'step 3/8: RUN make' } }, ctx)
  H.check(envbuilder.status(a) == 'step 3/8: RUN make', 'status() gives the current step')
  handlers['$/progress'](nil, { token = 'x', value = { kind = 'end', message = 'built' } }, ctx)
  H.check(vim.deep_equal(shown, { 'Building ws', 'step 3/8: RUN make', 'built' }), 'progress is shown as it comes',
    function() return vim.inspect(shown) end)
  envbuilder.options.progress = 'echo'
  local echoed = pcall(handlers['$/progress'], nil,
    { token = 'y', value = { kind = 'begin', title = string.rep('long ', 100) } }, ctx)
  io.stdout:write('\n') -- after the echoed line, in headless mode
  H.check(echoed, 'progress echo of a long line')

  handlers['envbuilder/buildLog'](nil, { workspace = 'file:///ws', step = 2, text = 'first\nsecond\n' }, ctx)
  handlers['envbuilder/buildLog'](nil, { workspace = 'file:///ws', step = 2, text = 'third' }, ctx)
  local log = envbuilder.log_buffer()
  local lines = vim.api.nvim_buf_get_lines(log, 0, -1, false)
  H.check(vim.api.nvim_buf_get_name(log) == 'envbuilder://build-log', 'the build log is envbuilder://build-log')
  H.check(vim.deep_equal(lines, { '## step 2', 'first', 'second', 'third' }), 'build output goes to the log',
    function() return vim.inspect(lines) end)
  vim.cmd('EnvbuilderLog')
  H.check(vim.api.nvim_get_current_buf() == log, ':EnvbuilderLog shows the log')
  vim.cmd('close')

  since = #H.messages
  handlers['window/showMessage'](nil, { type = 1, message = 'Envbuilder: build failed: boom' }, ctx)
  H.check(H.messages[since + 1] and H.messages[since + 1].message == 'envbuilder: build failed: boom'
    and H.messages[since + 1].level == vim.log.levels.ERROR, 'window/showMessage goes to vim.notify')
end)
